"""Node liveness: open calls, the grace between a Teahouse node's calls, silence."""

from __future__ import annotations

from teahouse.services.scheduler._nodes import Death, NodeRegistry

from .fakes import Clock


def registry(clock: Clock) -> NodeRegistry:
    return NodeRegistry(executor_timeout=30.0, disconnect_grace=1.0, clock=clock)


def test_a_heartbeating_node_is_dead_after_the_timeout_of_silence() -> None:
    clock = Clock()
    nodes = registry(clock)
    nodes.seen("a")
    clock.now += 29.9
    assert nodes.dead() == []
    clock.now += 0.1
    assert nodes.dead() == [("a", Death.SILENT)]


def test_an_open_watch_keeps_a_node_alive_however_long() -> None:
    clock = Clock()
    nodes = registry(clock)
    nodes.call_started("a", watch=True)
    clock.now += 3600
    assert nodes.dead() == []


def test_a_watching_node_must_call_again_within_the_grace_period() -> None:
    clock = Clock()
    nodes = registry(clock)
    nodes.call_started("a", watch=True)
    nodes.call_ended("a")  # the watch ended: answered, or cut off because the node died
    clock.now += 0.9
    assert nodes.dead() == []
    clock.now += 0.1
    assert nodes.dead() == [("a", Death.LOST)]


def test_calling_again_in_time_keeps_it_alive() -> None:
    clock = Clock()
    nodes = registry(clock)
    nodes.call_started("a", watch=True)
    nodes.call_ended("a")
    clock.now += 0.5
    nodes.call_started("a")  # UpdateTaskStatus, say
    clock.now += 5
    assert nodes.dead() == []
    nodes.call_ended("a")
    clock.now += 1
    assert nodes.dead() == [("a", Death.LOST)]


def test_a_node_that_never_watched_is_not_held_to_the_grace_period() -> None:
    clock = Clock()
    nodes = registry(clock)
    nodes.seen("teaclave")  # Heartbeat
    nodes.call_started("teaclave")  # UpdateTaskStatus of a task it pulled
    nodes.call_ended("teaclave")
    clock.now += 3  # Teaclave's heartbeat period
    assert nodes.dead() == []


def test_forgotten_nodes_are_not_reported_and_late_call_ends_are_ignored() -> None:
    clock = Clock()
    nodes = registry(clock)
    nodes.call_started("a", watch=True)
    nodes.forget("a")
    nodes.call_ended("a")
    clock.now += 100
    assert nodes.dead() == [] and "a" not in nodes

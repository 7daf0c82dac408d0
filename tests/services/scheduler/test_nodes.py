"""Node liveness: open watches, silence, cut-off watches."""

from __future__ import annotations

from teahouse.services.scheduler._nodes import Death, NodeRegistry

from .fakes import Clock


def registry(clock: Clock) -> NodeRegistry:
    return NodeRegistry(executor_timeout=30.0, disconnect_grace=1.0, clock=clock)


def test_a_node_is_dead_after_the_timeout_of_silence() -> None:
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
    nodes.watch_started("a")
    clock.now += 3600
    assert nodes.dead() == []
    nodes.watch_ended("a", cut_off=False)
    clock.now += 29
    assert nodes.dead() == []


def test_a_cut_off_watch_leaves_only_the_grace_period() -> None:
    clock = Clock()
    nodes = registry(clock)
    nodes.watch_started("a")
    nodes.watch_ended("a", cut_off=True)
    clock.now += 0.5
    assert nodes.dead() == []
    clock.now += 0.5
    assert nodes.dead() == [("a", Death.DISCONNECTED)]


def test_coming_back_within_the_grace_period_clears_the_cut_off() -> None:
    clock = Clock()
    nodes = registry(clock)
    nodes.watch_started("a")
    nodes.watch_ended("a", cut_off=True)
    clock.now += 0.5
    nodes.seen("a")
    clock.now += 5
    assert nodes.dead() == []


def test_forgotten_nodes_are_not_reported_and_late_watch_ends_are_ignored() -> None:
    clock = Clock()
    nodes = registry(clock)
    nodes.watch_started("a")
    nodes.forget("a")
    nodes.watch_ended("a", cut_off=True)
    clock.now += 100
    assert nodes.dead() == [] and "a" not in nodes

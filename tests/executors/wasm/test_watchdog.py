"""The shared timer behind every run's time limit."""

from __future__ import annotations

import threading

from teahouse.executors.wasm._watchdog import Watchdog


def test_action_runs_after_the_delay() -> None:
    fired = threading.Event()
    Watchdog().schedule(0.01, fired.set)
    assert fired.wait(5)


def test_disarmed_action_never_runs() -> None:
    watchdog = Watchdog()
    fired, later = threading.Event(), threading.Event()
    watchdog.schedule(0.02, fired.set)()
    watchdog.schedule(0.05, later.set)
    assert later.wait(5)
    assert not fired.is_set()


def test_earlier_deadline_scheduled_later_runs_first() -> None:
    watchdog = Watchdog()
    order: list[str] = []
    done = threading.Event()
    watchdog.schedule(0.2, lambda: (order.append("late"), done.set()))
    watchdog.schedule(0.01, lambda: order.append("early"))
    assert done.wait(5)
    assert order == ["early", "late"]


def test_disarmed_alarms_do_not_pile_up() -> None:
    watchdog = Watchdog()
    for _ in range(1000):
        watchdog.schedule(3600, lambda: None)()
    assert len(watchdog._heap) < 200


def test_a_failing_action_does_not_stop_the_watchdog(caplog) -> None:
    watchdog = Watchdog()
    fired = threading.Event()

    def boom() -> None:
        raise ValueError("boom")

    watchdog.schedule(0.01, boom)
    watchdog.schedule(0.03, fired.set)
    assert fired.wait(5)
    assert "watchdog action failed" in caplog.text

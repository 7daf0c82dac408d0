"""Imported once by the forkserver so that every builtin worker forks already warm."""

from teahouse.executors._builtin_worker import warm_up

warm_up()

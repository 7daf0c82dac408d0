"""The execution service: one process per node, running one task at a time.

A node keeps a long poll open on the scheduler (``_node``); for each task it gets, it fetches and
checks the inputs into a private directory, runs the function with the executor its
(executor_type, executor) pair names, encrypts and uploads the outputs (``_runner``), and reports
the result. Executors are made once per node and closed when it stops (``_executors``). A
canceled task's run is cancelled on its own; the node keeps serving (Teaclave exits instead).
"""

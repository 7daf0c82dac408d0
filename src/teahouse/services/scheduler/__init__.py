"""The scheduler service: staged tasks to execution nodes at once, durably, with prompt cancels.

How it improves on Teaclave's scheduler (spec/behaviour.md §6), whose RPCs it keeps:

* **No polling period.** An idle node's ``Watch`` is a long poll; the scheduler turns it into a
  storage long poll on ``staged-task`` (``WaitDequeue``) that the commit staging a task wakes.
* **Nothing staged is lost.** Tasks stay in storage: a pop moves the task into the popping
  node's record in the same transaction, and cancel requests are held until applied (``_store``).
  A restarted scheduler reads those records back.
* **Dead nodes.** A Teahouse node always has a call open or makes the next one at once, so one
  that has none open for ``disconnect_grace_s`` is gone (a killed node's Watch is cut off at once);
  a node that only heartbeats is gone after ``executor_timeout_s`` of silence. A dead node's
  running task fails (``Runtime Error: Executor Lost: …``, or Teaclave's ``Runtime Error: Executor
  Timeout``); a task it had not started goes back to the queue for another node.
* **Cancellation.** A cancel request is applied as soon as management queues it: the task is
  Canceled (``Task Canceled by the user``) and the node running it is told to Stop through its
  open Watch; the node cancels that one run and keeps serving.
"""

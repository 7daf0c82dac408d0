"""How the tutorial test reads a page: ```sh commands, continuation lines, promised ```text output."""

from __future__ import annotations

import pytest

from ._markdown import Step, find_in_order, steps

PAGE = """\
# Title

```sh
teahouse up --detach
# a comment line
teahouse status   # a trailing comment is bash's business

echo one \\
    two
```

Some prose.

```text
not an output: prose came between
```

```sh
teahouse task wait $TASK
```

```text
task-… Finished
```

```python
print("not run")
```
"""


def test_commands_come_in_order_with_their_line_numbers() -> None:
    assert steps(PAGE) == [
        Step("teahouse up --detach", 4),
        Step("teahouse status   # a trailing comment is bash's business", 6),
        Step("echo one \\\n    two", 8),
        Step("teahouse task wait $TASK", 19, ("task-… Finished",)),
    ]


def test_a_text_block_after_prose_is_no_promise() -> None:
    page = "```sh\necho hi\n```\nThe output:\n```text\nhi\n```\n"
    assert steps(page) == [Step("echo hi", 2)]


@pytest.mark.parametrize(
    "page",
    [
        "```sh\necho hi\n",  # never closed
        "```sh\n\n# only a comment\n```\n",  # nothing to run
        "```sh\necho hi \\\n```\n",  # continues into nothing
    ],
)
def test_a_broken_block_is_refused(page: str) -> None:
    with pytest.raises(ValueError, match="line"):
        steps(page)


def test_promised_output_is_found_in_order_with_wildcards() -> None:
    output = "warning: simulated\ntask-1234 Finished\n2 common items\n"
    assert find_in_order(("task-… Finished", "2 common items"), output) is None
    assert find_in_order(("2 common items", "task-… Finished"), output) == "task-… Finished"
    assert find_in_order(("3 common items",), output) == "3 common items"

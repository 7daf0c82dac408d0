import teahouse.fileagent as fileagent
from teahouse.errors import TeahouseError


def test_public_names_are_exactly_all() -> None:
    assert {name for name in vars(fileagent) if not name.startswith("_")} == set(fileagent.__all__)


def test_errors_belong_to_the_tree() -> None:
    for name in fileagent.__all__:
        obj = getattr(fileagent, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert issubclass(obj, fileagent.FileAgentError) and issubclass(obj, TeahouseError), name

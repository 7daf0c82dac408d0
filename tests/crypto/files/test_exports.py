import teahouse.crypto.files as files
from teahouse.errors import TeahouseError


def test_public_names_are_exactly_all() -> None:
    public = {name for name in vars(files) if not name.startswith("_")}
    assert public == set(files.__all__)
    assert files.__all__ == sorted(files.__all__)


def test_every_error_belongs_to_the_tree_and_has_a_message() -> None:
    for name in files.__all__:
        obj = getattr(files, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert issubclass(obj, files.FileCryptoError) and issubclass(obj, TeahouseError), name

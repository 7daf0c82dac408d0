"""The MHT writer and reader on a three-level tree, without the ~400 MB of data it would index."""

import tempfile

from teahouse.crypto.files._pfs_layout import DATA_PER_MHT, KEY
from teahouse.crypto.files._pfs_reader import MhtReader
from teahouse.crypto.files._pfs_writer import MhtWriter, NodeFile

MHTS = 1100  # level 0: MHT 0; level 1: 1..32; level 2: 33..1056; level 3: 1057..


def _slot(d: int) -> tuple[bytes, bytes]:
    raw = d.to_bytes(4, "little") * 8
    return raw[:KEY], raw[KEY:]


def test_three_level_tree_round_trips_in_bounded_memory() -> None:
    data_nodes = (MHTS - 1) * DATA_PER_MHT + 10  # the last MHT only partly filled
    with tempfile.TemporaryFile() as f:  # sparse: only the MHT nodes are written
        writer = MhtWriter(NodeFile(f))
        most_in_memory = 0
        for d in range(data_nodes):
            writer.set_data_slot(d, *_slot(d))
            if d % DATA_PER_MHT == DATA_PER_MHT - 1:
                writer.data_complete(d // DATA_PER_MHT)
            most_in_memory = max(most_in_memory, len(writer._nodes))
        root_key, root_tag = writer.finish()
        assert most_in_memory <= 6  # root + one node per level being updated + the current one

        reader = MhtReader(f, root_key, root_tag)
        for d in range(data_nodes):
            node = reader.get(d // DATA_PER_MHT)
            at = (d % DATA_PER_MHT) * 32
            assert (node[at : at + KEY], node[at + KEY : at + 32]) == _slot(d), d

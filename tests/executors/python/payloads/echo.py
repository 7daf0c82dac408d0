def entrypoint(argv):
    assert argv[0] == "message"
    assert len(argv) == 2
    return argv[1]

def entrypoint(argv):
    while True:
        pass

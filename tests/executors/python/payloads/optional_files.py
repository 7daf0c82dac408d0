# ruff: noqa: F821 - teaclave_open is a builtin inside the sandbox
def entrypoint(argv):
    try:
        with teaclave_open("input_data1", "rb") as f:
            return f.readline()
    except Exception:  # noqa: BLE001 - any failure means "absent", as in Teaclave's example
        return "input_data1 does not exist"

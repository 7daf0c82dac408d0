"""The host ABI that Teaclave's WAMR executor offers to WebAssembly functions (behaviour §5.5).

Only facts live here: import names and signatures, handle encoding, default limits.
"""

from __future__ import annotations

from typing import Final

#: Module name of the five Teaclave host functions.
ENV_MODULE: Final = "env"

#: The five host functions and their (parameter count) of i32s; every one returns an i32.
#: ``$`` = NUL-terminated string pointer, ``*~`` = buffer pointer + length, as in WAMR.
TEACLAVE_IMPORTS: Final[dict[str, int]] = {
    "teaclave_open_input": 1,  # (char *name) -> handle | -1
    "teaclave_create_output": 1,  # (char *name) -> handle | -1
    "teaclave_read_file": 3,  # (int fd, char *buf, int size) -> read | 0 at EOF | -1
    "teaclave_write_file": 3,  # (int fd, char *buf, int size) -> written | -1
    "teaclave_close_file": 1,  # (int fd) -> 0 | -1
}

#: Read handles are ``n``, write handles ``WRITE_HANDLE_FLAG | n``, with ``n`` in 1..MAX_OPENS.
WRITE_HANDLE_FLAG: Final = 0x4000_0000
MAX_OPENS: Final = 1023

#: Returned by every host function on error.
ERROR: Final = -1

#: WAMR's application heap in Teaclave (20 MiB), added on top of the module's own initial memory.
DEFAULT_HEAP_BYTES: Final = 20 * 1024 * 1024

WASM_PAGE: Final = 65536
WASM_MAGIC: Final = b"\0asm\x01\0\0\0"

#: Module name of WASI preview 1 and the functions it defines (wasmtime provides all of them).
WASI_MODULE: Final = "wasi_snapshot_preview1"
WASI_FUNCTIONS: Final = frozenset(
    {
        "args_get", "args_sizes_get", "environ_get", "environ_sizes_get", "clock_res_get",
        "clock_time_get", "fd_advise", "fd_allocate", "fd_close", "fd_datasync", "fd_fdstat_get",
        "fd_fdstat_set_flags", "fd_fdstat_set_rights", "fd_filestat_get", "fd_filestat_set_size",
        "fd_filestat_set_times", "fd_pread", "fd_prestat_get", "fd_prestat_dir_name", "fd_pwrite",
        "fd_read", "fd_readdir", "fd_renumber", "fd_seek", "fd_sync", "fd_tell", "fd_write",
        "path_create_directory", "path_filestat_get", "path_filestat_set_times", "path_link",
        "path_open", "path_readlink", "path_remove_directory", "path_rename", "path_symlink",
        "path_unlink_file", "poll_oneoff", "proc_exit", "proc_raise", "sched_yield", "random_get",
        "sock_accept", "sock_recv", "sock_send", "sock_shutdown",
    }
)  # fmt: skip

#: Where a WASI function finds the task's files.
WASI_INPUT_DIR: Final = "/inputs"
WASI_OUTPUT_DIR: Final = "/outputs"

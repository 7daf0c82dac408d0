/* Teaclave's wasm_c_millionaire_problem: argv = [input_file_id1, A, input_file_id2, B,
 * output_file_id, OUT]. Writes the name of the richer input (ties: the second) to OUT and
 * returns the number of bytes written. */
#include "mini.h"
#include "teaclave_context.h"

static int read_amount(const char *name, int *amount) {
    char buf[11];
    int fd = teaclave_open_input(name);
    if (fd < 0) return -1;
    int n = teaclave_read_file(fd, buf, 10);
    teaclave_close_file(fd);
    if (n < 0) return -1;
    buf[n] = 0;
    *amount = mini_atoi(buf);
    return 0;
}

int entrypoint(int argc, char **argv) {
    int a, b;
    if (argc < 6) return -1;
    if (read_amount(argv[1], &a) < 0 || read_amount(argv[3], &b) < 0) return -1;
    const char *richer = a > b ? argv[1] : argv[3];
    int out = teaclave_create_output(argv[5]);
    if (out < 0) return -1;
    int written = teaclave_write_file(out, richer, mini_strlen(richer));
    teaclave_close_file(out);
    return written;
}

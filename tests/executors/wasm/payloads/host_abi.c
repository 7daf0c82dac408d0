/* Exercises the host ABI's edge cases. argv = [input, IN, mode, MODE, output, OUT].
 * MODE "abi": a report of "step=result" lines about handles, EOF, bad and closed handles,
 *   written to OUT; returns 0.
 * MODE "opens": opens and closes IN until refused; writes "total=<n>" to OUT.
 * MODE "concurrent": opens IN without closing until refused; returns how many it opened.
 * MODE "oob_buffer" / "oob_name": passes a pointer outside memory to the host (a fault). */
#include "mini.h"
#include "teaclave_context.h"

static char report[4096];
static int report_len;

static void put(const char *step, int value) {
    int n = mini_strlen(step);
    for (int i = 0; i < n; i++) report[report_len++] = step[i];
    report[report_len++] = '=';
    report_len += mini_itoa(value, report + report_len);
    report[report_len++] = '\n';
}

static int same(const char *a, const char *b) {
    while (*a && *a == *b) { a++; b++; }
    return *a == *b;
}

static int abi(const char *in, int out) {
    char buf[64];
    int r1 = teaclave_open_input(in);
    int r2 = teaclave_open_input(in);
    put("open_input", r1);
    put("open_input_again", r2);
    put("open_input_unknown", teaclave_open_input("no such input"));
    put("create_output", out);
    put("create_output_unknown", teaclave_create_output("no such output"));
    put("read_4", teaclave_read_file(r1, buf, 4));
    put("first_byte", buf[0]);
    put("read_other_reader_2", teaclave_read_file(r2, buf, 2));
    put("other_first_byte", buf[0]);
    put("read_rest", teaclave_read_file(r1, buf, 64));
    put("read_at_eof", teaclave_read_file(r1, buf, 64));
    put("read_at_eof_again", teaclave_read_file(r1, buf, 64));
    put("read_zero_bytes", teaclave_read_file(r2, buf, 0));
    put("read_negative_size", teaclave_read_file(r2, buf, -1));
    put("read_write_handle", teaclave_read_file(out, buf, 4));
    put("write_read_handle", teaclave_write_file(r1, "x", 1));
    put("read_unknown_handle", teaclave_read_file(12345, buf, 4));
    put("write_unknown_handle", teaclave_write_file(0x40000000 | 999, "x", 1));
    put("close", teaclave_close_file(r1));
    put("close_again", teaclave_close_file(r1));
    put("read_closed", teaclave_read_file(r1, buf, 4));
    put("close_unknown", teaclave_close_file(777));
    put("close_other", teaclave_close_file(r2));
    put("open_after_close", teaclave_open_input(in));
    return 0;
}

static int opens(const char *in) {
    int total = 0;
    for (;;) {
        int fd = teaclave_open_input(in);
        if (fd < 0) break;
        total++;
        teaclave_close_file(fd);
        if (total > 5000) break;
    }
    put("total", total);
    return 0;
}

int entrypoint(int argc, char **argv) {
    if (argc < 6) return -1;
    const char *in = argv[1], *mode = argv[3];
    if (same(mode, "oob_name")) return teaclave_open_input((const char *)0xFFFFFFF0);
    if (same(mode, "oob_buffer")) {
        int fd = teaclave_open_input(in);
        return teaclave_read_file(fd, (char *)0xFFFFFF00, 1000);
    }
    if (same(mode, "concurrent")) {
        int count = 0;
        while (teaclave_open_input(in) >= 0 && count < 5000) count++;
        return count;
    }
    int out = teaclave_create_output(argv[5]);
    if (out < 0) return -1;
    if (same(mode, "abi")) abi(in, out);
    else if (same(mode, "opens")) opens(in);
    else return -2;
    teaclave_write_file(out, report, report_len);
    return teaclave_close_file(out);
}

/* Like Teaclave's wasm_rust_psi: argv = [input1_fid, IN1, input2_fid, IN2, output1_fid, OUT1,
 * output2_fid, OUT2]. Writes every line present in both inputs (sorted, once each), then
 * "done\n", to both outputs; returns the number of common lines. */
#include "mini.h"
#include "teaclave_context.h"

typedef struct { const char *text; int len; } line_t;

static char *read_all(const char *name, int *size) {
    int cap = 65536, len = 0;
    char *buf = mini_alloc(cap);
    int fd = teaclave_open_input(name);
    if (!buf || fd < 0) return 0;
    for (;;) {
        if (len == cap) {
            /* Bump pages are contiguous, so growing extends the buffer in place. */
            if (!mini_alloc(65536)) return 0;
            cap += 65536;
        }
        int n = teaclave_read_file(fd, buf + len, cap - len);
        if (n < 0) return 0;
        if (n == 0) break;
        len += n;
    }
    teaclave_close_file(fd);
    *size = len;
    return buf;
}

static int split_lines(char *buf, int size, line_t **lines) {
    int count = 0, start = 0;
    *lines = mini_alloc((size / 2 + 2) * (int)sizeof(line_t));
    for (int i = 0; i <= size; i++) {
        if (i == size || buf[i] == '\n') {
            if (i > start) {
                (*lines)[count].text = buf + start;
                (*lines)[count].len = i - start;
                count++;
            }
            start = i + 1;
        }
    }
    return count;
}

static int compare(const line_t *a, const line_t *b) {
    int n = a->len < b->len ? a->len : b->len;
    for (int i = 0; i < n; i++) {
        if (a->text[i] != b->text[i]) return (unsigned char)a->text[i] - (unsigned char)b->text[i];
    }
    return a->len - b->len;
}

static void sort_lines(line_t *lines, int count) {
    for (int gap = count / 2; gap > 0; gap /= 2) {
        for (int i = gap; i < count; i++) {
            const char *text = lines[i].text;
            int len = lines[i].len, j = i;
            line_t item = { text, len };
            while (j >= gap && compare(&lines[j - gap], &item) > 0) {
                lines[j].text = lines[j - gap].text;
                lines[j].len = lines[j - gap].len;
                j -= gap;
            }
            lines[j].text = text;
            lines[j].len = len;
        }
    }
}

static int write_both(int out1, int out2, const char *text, int len) {
    if (teaclave_write_file(out1, text, len) != len) return -1;
    if (teaclave_write_file(out2, text, len) != len) return -1;
    return 0;
}

int entrypoint(int argc, char **argv) {
    int size1, size2;
    line_t *lines1, *lines2;
    if (argc != 8) return -1;
    char *buf1 = read_all(argv[1], &size1);
    char *buf2 = read_all(argv[3], &size2);
    if (!buf1 || !buf2) return -1;
    int n1 = split_lines(buf1, size1, &lines1);
    int n2 = split_lines(buf2, size2, &lines2);
    sort_lines(lines1, n1);
    sort_lines(lines2, n2);
    int out1 = teaclave_create_output(argv[5]);
    int out2 = teaclave_create_output(argv[7]);
    if (out1 < 0 || out2 < 0) return -1;
    int i = 0, j = 0, common = 0;
    while (i < n1 && j < n2) {
        int c = compare(&lines1[i], &lines2[j]);
        if (c < 0) { i++; continue; }
        if (c > 0) { j++; continue; }
        if (common == 0 || compare(&lines1[i], &lines1[i - 1]) != 0) {
            if (write_both(out1, out2, lines1[i].text, lines1[i].len) < 0) return -1;
            if (write_both(out1, out2, "\n", 1) < 0) return -1;
            common++;
        }
        i++;
        j++;
    }
    if (write_both(out1, out2, "done\n", 5) < 0) return -1;
    teaclave_close_file(out1);
    teaclave_close_file(out2);
    return common;
}

/* A WASI command over the task's files. argv = [input, IN, output, OUT]: copies
 * /inputs/IN upper-cased to /outputs/OUT through stdio, and reports on stdout what else it
 * could reach. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "teaclave_context.h"

static void probe(const char *what, const char *path, int flags) {
    int fd = open(path, flags, 0644);
    printf("%s=%s\n", what, fd >= 0 ? "open" : "refused");
    if (fd >= 0) close(fd);
}

int main(int argc, char **argv) {
    char path[256];
    if (argc < 4) return 2;
    snprintf(path, sizeof path, "/inputs/%s", argv[1]);
    FILE *in = fopen(path, "r");
    snprintf(path, sizeof path, "/outputs/%s", argv[3]);
    FILE *out = fopen(path, "w");
    if (!in || !out) return 3;
    int c;
    while ((c = fgetc(in)) != EOF) fputc(c >= 'a' && c <= 'z' ? c - 32 : c, out);
    fclose(in);
    fclose(out);
    snprintf(path, sizeof path, "/inputs/%s", argv[1]);
    probe("write_input", path, O_WRONLY);
    probe("create_in_inputs", "/inputs/new", O_WRONLY | O_CREAT);
    probe("etc_passwd", "/etc/passwd", O_RDONLY);
    probe("dotdot", "/inputs/../outputs/x", O_RDONLY);
    probe("escape", "/outputs/../../etc/passwd", O_RDONLY);
    /* The Teaclave host functions are there too. */
    int fd = teaclave_open_input(argv[1]);
    char buf[8];
    int n = teaclave_read_file(fd, buf, 3);
    printf("teaclave_read=%d:%.*s\n", n, n > 0 ? n : 0, buf);
    return 0;
}

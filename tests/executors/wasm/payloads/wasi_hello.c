/* A WASI command. argv = [name, NAME, status, STATUS]: greets NAME on stdout, writes a line to
 * stderr and exits with STATUS. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    printf("Hello, %s!\n", argc > 1 ? argv[1] : "world");
    fprintf(stderr, "argc=%d\n", argc);
    return argc > 3 ? atoi(argv[3]) : 0;
}

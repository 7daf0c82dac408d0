/* A WASI reactor called the Teaclave way: entrypoint(argc, argv) with printf to the log.
 * Returns the total length of its arguments. Nothing runs libc's exit handlers after
 * entrypoint, so it flushes stdout itself. */
#include <stdio.h>
#include <string.h>

__attribute__((export_name("entrypoint")))
int entrypoint(int argc, char **argv) {
    int total = 0;
    for (int i = 0; i < argc; i++) {
        printf("argv[%d]=%s\n", i, argv[i]);
        total += (int)strlen(argv[i]);
    }
    fflush(stdout);
    return total;
}

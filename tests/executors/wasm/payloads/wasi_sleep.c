/* A WASI command that sleeps. argv = [ms, N]: sleeps N milliseconds, then prints "awake". */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv) {
    long ms = argc > 1 ? atol(argv[1]) : 0;
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, 0);
    printf("awake\n");
    return 0;
}

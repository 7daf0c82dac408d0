/* argv = [divisor, N]: returns 100 / N, so N = 0 traps (integer divide by zero). */
#include "mini.h"

int entrypoint(int argc, char **argv) {
    if (argc < 2) return -1;
    return 100 / mini_atoi(argv[1]);
}

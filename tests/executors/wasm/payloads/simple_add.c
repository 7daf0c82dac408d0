/* Teaclave's wasm_c_simple_add: argv = [adder1, a, adder2, b] -> a + b. */
#include "mini.h"

int entrypoint(int argc, char **argv) {
    if (argc < 4) return -1;
    return mini_atoi(argv[1]) + mini_atoi(argv[3]);
}

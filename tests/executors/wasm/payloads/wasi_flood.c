/* A WASI command that never stops printing: its stdout outgrows any return value. */
#include <stdio.h>

int main(void) {
    for (unsigned long i = 0;; i++) printf("line %lu of too many\n", i);
}

/* Never returns: for time limits and cancellation. */
int entrypoint(int argc, char **argv) {
    volatile unsigned spins = 0;
    for (;;) spins++;
    return 0;
}

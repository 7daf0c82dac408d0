/* Grows memory one page at a time until refused, touching every page; returns the pages grown. */
int entrypoint(int argc, char **argv) {
    int pages = 0;
    for (;;) {
        int old = __builtin_wasm_memory_grow(0, 1);
        if (old < 0) return pages;
        ((volatile char *)(old * 65536))[65535] = 1;
        pages++;
    }
}

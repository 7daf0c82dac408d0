/* Just enough of a C library for -nostdlib payloads. Loops are written so that clang does
 * not turn them into calls to memcpy/memset, which nobody would provide. */
#ifndef MINI_H
#define MINI_H

static int mini_atoi(const char *s) {
    int sign = 1, n = 0;
    while (*s == ' ' || *s == '\n') s++;
    if (*s == '-') { sign = -1; s++; }
    while (*s >= '0' && *s <= '9') n = n * 10 + (*s++ - '0');
    return sign * n;
}

static int mini_strlen(const char *s) {
    int n = 0;
    while (s[n]) n++;
    return n;
}

/* Decimal text of n at p; returns the number of characters. */
static int mini_itoa(int n, char *p) {
    char digits[12];
    int len = 0, out = 0;
    unsigned u = n < 0 ? 0u - (unsigned)n : (unsigned)n;
    do { digits[len++] = (char)('0' + u % 10); u /= 10; } while (u);
    if (n < 0) p[out++] = '-';
    while (len) p[out++] = digits[--len];
    return out;
}

/* Bump allocation from pages grown at the end of memory. */
static void *mini_alloc(int size) {
    int pages = (size + 65535) / 65536;
    int old = __builtin_wasm_memory_grow(0, pages);
    return old < 0 ? 0 : (void *)(old * 65536);
}

#endif

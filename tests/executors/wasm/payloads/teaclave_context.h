/* The five host functions of Teaclave's WebAssembly executor (module "env"). */
#ifndef TEACLAVE_CONTEXT_H
#define TEACLAVE_CONTEXT_H

int teaclave_open_input(const char *name);
int teaclave_create_output(const char *name);
int teaclave_read_file(int fd, void *buf, int size);
int teaclave_write_file(int fd, const void *buf, int size);
int teaclave_close_file(int fd);

#endif

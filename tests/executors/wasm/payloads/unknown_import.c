/* Imports a host function that no executor provides. */
int teaclave_launch_rockets(int count);

int entrypoint(int argc, char **argv) {
    return teaclave_launch_rockets(argc);
}

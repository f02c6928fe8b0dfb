// placeholder: the sweep CLI is being written
#include <cstdio>
int main() { std::fputs("sweep: not built yet\n", stderr); return 1; }

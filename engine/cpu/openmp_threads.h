#pragma once
// Debian's oneDNN is built on OpenMP (DNNL_CPU_RUNTIME == OMP) and sizes every parallel region
// by omp_get_max_threads() of the calling thread. The scheduler runs one trainer per core, so a
// trainer must keep oneDNN on its own thread: nested teams of N threads in N trainers would
// oversubscribe the machine (and a small per-step GEMM is slower on two threads than on one).

namespace eegsweep {

// Sets the calling thread's OpenMP thread limit (omp_set_num_threads). A no-op when no OpenMP
// runtime is loaded. Cheap: call it on entry to every trainer method.
void set_openmp_threads(int threads);

// omp_get_max_threads() of the calling thread, or 0 when no OpenMP runtime is loaded.
int openmp_max_threads();

}  // namespace eegsweep

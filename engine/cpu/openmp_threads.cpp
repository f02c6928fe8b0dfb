// The OpenMP entry points are looked up at run time instead of linked: libgomp arrives as a
// dependency of libdnnl, and the build links DNNL::dnnl without OpenMP flags of its own.

#include "engine/cpu/openmp_threads.h"

#include <dlfcn.h>

namespace eegsweep {
namespace {

using SetThreads = void (*)(int);
using GetThreads = int (*)();

SetThreads set_threads_fn() {
  static const auto fn = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "omp_set_num_threads"));
  return fn;
}

GetThreads get_threads_fn() {
  static const auto fn = reinterpret_cast<GetThreads>(dlsym(RTLD_DEFAULT, "omp_get_max_threads"));
  return fn;
}

}  // namespace

void set_openmp_threads(int threads) {
  if (SetThreads fn = set_threads_fn()) fn(threads);
}

int openmp_max_threads() {
  GetThreads fn = get_threads_fn();
  return fn ? fn() : 0;
}

}  // namespace eegsweep

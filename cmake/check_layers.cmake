# Who may include whom — the README's Layout table, enforced: every build runs this script over
# the sources and fails on an #include that crosses a rule. Run as
#   cmake -DSOURCE_DIR=<repo> -DSTAMP=<file> -P cmake/check_layers.cmake
#
# Rules:
# - a folder includes project headers only from the folders listed for it below;
# - `X/detail/…` headers are private to folder X (and to its tests, tests/<last part of X>);
# - third-party headers stay in their room: yaml-cpp in engine/spec, SQLiteCpp/sqlite3 in results
#   (and the tests that inspect databases), oneDNN in engine/cpu, CUDA/cuDNN/cuBLAS in cuda.

set(may_include_engine/data engine/data)
set(may_include_engine/data/muse engine/data engine/data/muse)
set(may_include_engine/model engine/data engine/model)
set(may_include_engine/cpu engine/data engine/model engine/cpu)
set(may_include_engine/spec engine/data engine/data/muse engine/model engine/spec)
set(may_include_engine/search engine/data engine/data/muse engine/model engine/spec engine/search)
set(may_include_results engine/data engine/model results)
set(may_include_cuda engine/data engine/model cuda)
set(may_include_engine/sched engine/data engine/data/muse engine/model engine/cpu engine/spec
    engine/search results cuda engine/sched)
set(may_include_engine/report engine/data engine/model engine/spec results engine/report)
set(may_include_engine/cli engine/data engine/data/muse engine/model engine/cpu engine/spec
    engine/search results cuda engine/sched engine/report engine/cli)

set(third_party_yaml "yaml-cpp/" engine/spec)
set(third_party_sqlite "SQLiteCpp/;sqlite3.h" results tests/results tests/cli tests/cluster)
set(third_party_dnnl "oneapi/dnnl;dnnl.h" engine/cpu scripts/bench)
set(third_party_cuda "cuda_runtime;cudnn;cublas;cuda.h" cuda tests/cuda)
set(third_party_libpq "libpq-fe.h" results tests/cluster)

# The folder a file belongs to: its directory, a trailing /detail dropped.
function(folder_of path out)
  get_filename_component(dir "${path}" DIRECTORY)
  string(REGEX REPLACE "/detail$" "" dir "${dir}")
  set(${out} "${dir}" PARENT_SCOPE)
endfunction()

file(GLOB_RECURSE sources RELATIVE "${SOURCE_DIR}"
  "${SOURCE_DIR}/engine/*.h" "${SOURCE_DIR}/engine/*.cpp"
  "${SOURCE_DIR}/results/*.h" "${SOURCE_DIR}/results/*.cpp"
  "${SOURCE_DIR}/cuda/*.h" "${SOURCE_DIR}/cuda/*.cpp" "${SOURCE_DIR}/cuda/*.cu"
  "${SOURCE_DIR}/tests/*.h" "${SOURCE_DIR}/tests/*.cpp"
  "${SOURCE_DIR}/scripts/bench/*.cpp")

set(problems "")
foreach(source ${sources})
  folder_of("${source}" folder)
  file(STRINGS "${SOURCE_DIR}/${source}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]")
  set(line_number 0)
  foreach(line ${lines})
    string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*[<\"]([^>\"]+)[>\"].*" "\\1" header "${line}")
    # Project headers.
    if(header MATCHES "^(engine|results|cuda)/")
      folder_of("${header}" target)
      if(header MATCHES "/detail/")
        string(REGEX REPLACE "^.*/" "" target_leaf "${target}")
        if(NOT folder STREQUAL target AND NOT folder STREQUAL "tests/${target_leaf}")
          string(APPEND problems "${source}: includes ${header}, private to ${target}\n")
        endif()
      endif()
      if(DEFINED may_include_${folder})
        list(FIND may_include_${folder} "${target}" allowed)
        if(allowed EQUAL -1)
          string(APPEND problems "${source}: includes ${header}: ${folder} may not include ${target}\n")
        endif()
      endif()
    endif()
    # Third-party headers that belong to one room.
    foreach(library yaml sqlite dnnl cuda libpq)
      list(GET third_party_${library} 0 patterns)
      set(rooms ${third_party_${library}})
      list(REMOVE_AT rooms 0)
      foreach(pattern ${patterns})
        if(header MATCHES "^${pattern}")
          set(inside FALSE)
          foreach(room ${rooms})
            if(source MATCHES "^${room}/")
              set(inside TRUE)
            endif()
          endforeach()
          if(NOT inside)
            string(APPEND problems "${source}: includes <${header}>, which belongs in ${rooms}\n")
          endif()
        endif()
      endforeach()
    endforeach()
  endforeach()
endforeach()

if(problems)
  message(FATAL_ERROR "include rules broken (see cmake/check_layers.cmake and README § Layout):\n${problems}")
endif()
file(WRITE "${STAMP}" "ok\n")

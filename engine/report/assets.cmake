# The report page's assets, compiled into the binary (included from the top CMakeLists.txt).
#
# d3 comes from Debian's node-d3 package (scripts/setup.sh installs it); the build stops here,
# saying which package provides it, when the file is missing, rather than producing a report that
# would need the network. EEGSWEEP_D3_JS points elsewhere (another distribution's path).
set(EEGSWEEP_D3_JS /usr/share/nodejs/d3/dist/d3.min.js CACHE FILEPATH
    "d3 v5 as one minified file (Debian: node-d3), inlined into every `sweep report` page")
if(NOT EXISTS "${EEGSWEEP_D3_JS}")
  message(FATAL_ERROR "sweep report needs d3: ${EEGSWEEP_D3_JS} is missing. Install the Debian "
                      "package node-d3 (scripts/setup.sh does), or pass -DEEGSWEEP_D3_JS=PATH.")
endif()

set(report_asset_dir ${CMAKE_CURRENT_SOURCE_DIR}/engine/report/assets)
# Each file becomes a raw string literal; the delimiter must not occur in the text.
function(eegsweep_read_asset variable path)
  file(READ "${path}" text)
  string(FIND "${text}" ")report_asset\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${path} contains the raw-string delimiter )report_asset\"")
  endif()
  set(${variable} "${text}" PARENT_SCOPE)
endfunction()
eegsweep_read_asset(EEGSWEEP_REPORT_D3 "${EEGSWEEP_D3_JS}")
eegsweep_read_asset(EEGSWEEP_REPORT_JS "${report_asset_dir}/report.js")
eegsweep_read_asset(EEGSWEEP_REPORT_CSS "${report_asset_dir}/report.css")
configure_file(${report_asset_dir}/report_assets.h.in
               ${CMAKE_CURRENT_BINARY_DIR}/generated/engine/report/report_assets.h @ONLY)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             ${EEGSWEEP_D3_JS} ${report_asset_dir}/report.js ${report_asset_dir}/report.css
             ${report_asset_dir}/report_assets.h.in)

eegsweep_library(eegsweep_report engine/report)
target_link_libraries(eegsweep_report PUBLIC eegsweep_spec eegsweep_results
                      PRIVATE nlohmann_json::nlohmann_json)
target_include_directories(eegsweep_report PRIVATE ${CMAKE_CURRENT_BINARY_DIR}/generated)

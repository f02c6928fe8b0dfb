#pragma once
// The report as one self-contained HTML file: style, d3 and the page's script inlined, the data
// as one JSON blob the script draws from. Nothing is fetched when it opens.

#include <string>

#include "results/store.h"

namespace eegsweep::report {

// `json_text`, with every '<' written as \u003c, cannot end the <script> element that holds it.
std::string render_report_html(const std::string& title, const std::string& json_text);

// build_report_json + render_report_html.
std::string render_report(Store& store, const SweepInfo& sweep);

}  // namespace eegsweep::report

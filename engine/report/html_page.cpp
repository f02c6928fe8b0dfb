#include "engine/report/html_page.h"

#include "engine/report/report_assets.h"
#include "engine/report/report_data.h"

namespace eegsweep::report {

namespace {

std::string escape_html(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// '<' occurs in JSON only inside strings, where \u003c means the same character.
std::string json_for_script(const std::string& json_text) {
  std::string out;
  out.reserve(json_text.size());
  for (const char c : json_text) {
    if (c == '<') out += "\\u003c"; else out += c;
  }
  return out;
}

}  // namespace

std::string render_report_html(const std::string& title, const std::string& json_text) {
  std::string page;
  page.reserve(json_text.size() + sizeof kD3Js + sizeof kReportJs + sizeof kReportCss + 4096);
  page += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  page += "<title>" + escape_html(title) + "</title>\n<style>\n";
  page += kReportCss;
  page += "</style>\n</head>\n<body>\n";
  // Script errors are written into #report-errors, so that a headless browser's DOM shows them.
  page += "<div id=\"report-errors\"></div>\n<main id=\"report\"><p>Loading the report…</p></main>\n";
  page += "<script type=\"application/json\" id=\"report-data\">";
  page += json_for_script(json_text);
  page += "</script>\n<script>\n";
  page += "window.addEventListener('error', function (e) { var box = document.getElementById('report-errors');"
          " var p = document.createElement('p'); p.className = 'report-error';"
          " p.textContent = 'script error: ' + e.message + ' (line ' + e.lineno + ')'; box.appendChild(p); });\n";
  page += "</script>\n<script>\n";
  page += kD3Js;
  page += "\n</script>\n<script>\n";
  page += kReportJs;
  page += "\n</script>\n</body>\n</html>\n";
  return page;
}

std::string render_report(Store& store, const SweepInfo& sweep) {
  return render_report_html("sweep report: " + sweep.name, build_report_json(store, sweep));
}

}  // namespace eegsweep::report

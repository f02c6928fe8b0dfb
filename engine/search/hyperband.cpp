#include "engine/search/hyperband.h"

#include <algorithm>
#include <cmath>

namespace eegsweep {

std::vector<int> hyperband_bands(const HyperbandSettings& settings, int most_epochs) {
  std::vector<int> bands;
  if (settings.max_iter > 0) {
    for (int k = 1; k <= settings.s; ++k) {
      const int band = static_cast<int>(settings.max_iter / std::pow(settings.eta, k));
      if (band >= 1) bands.push_back(band);
    }
  } else if (settings.min_iter > 0) {
    for (int k = 0;; ++k) {
      const double band = settings.min_iter * std::pow(settings.eta, k);
      if (band > most_epochs) break;
      bands.push_back(static_cast<int>(band));
    }
  }
  bands.erase(std::remove_if(bands.begin(), bands.end(), [&](int b) { return b > most_epochs; }), bands.end());
  std::sort(bands.begin(), bands.end());
  bands.erase(std::unique(bands.begin(), bands.end()), bands.end());
  return bands;
}

std::optional<HyperbandStop> hyperband_check(const std::vector<int>& bands, double eta, bool strict,
                                             const std::vector<double>& curve,
                                             const std::vector<std::vector<double>>& others) {
  const auto reached = std::find_if(bands.rbegin(), bands.rend(),
                                    [&](int b) { return b <= static_cast<int>(curve.size()); });
  if (reached == bands.rend()) return std::nullopt;
  const int band = *reached;
  std::vector<double> at_band{curve[static_cast<std::size_t>(band - 1)]};
  for (const auto& other : others)
    if (static_cast<int>(other.size()) >= band) at_band.push_back(other[static_cast<std::size_t>(band - 1)]);
  std::sort(at_band.begin(), at_band.end());
  const auto index = static_cast<std::size_t>(std::floor(static_cast<double>(at_band.size()) / eta));
  const double cutoff = at_band[std::min(index, at_band.size() - 1)];
  const double value = strict ? curve[static_cast<std::size_t>(band - 1)]
                              : *std::min_element(curve.begin(), curve.end());
  if (value > cutoff) return HyperbandStop{band, cutoff, value};
  return std::nullopt;
}

}  // namespace eegsweep

#include "engine/data/muse/filters.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace eegsweep {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kFs = 256.0;

std::vector<double> sine(double hz, double amplitude, double offset, double seconds) {
  std::vector<double> x(static_cast<std::size_t>(seconds * kFs));
  for (std::size_t i = 0; i < x.size(); ++i) {
    x[i] = offset + amplitude * std::sin(2.0 * kPi * hz * static_cast<double>(i) / kFs);
  }
  return x;
}

// The cascade the Muse featurizer uses: band-pass 1–45 Hz order 4 and a 50 Hz notch (Q 30).
SosFilter eeg_cascade() {
  SosFilter sos = butterworth_bandpass(4, 1.0, 45.0, kFs);
  sos.push_back(iir_notch(50.0, 30.0, kFs));
  return sos;
}

// Largest |y| over the middle of the signal, away from the edges' settling.
double middle_peak(const std::vector<double>& y, double skip_seconds) {
  const auto skip = static_cast<std::size_t>(skip_seconds * kFs);
  double peak = 0;
  for (std::size_t i = skip; i + skip < y.size(); ++i) peak = std::max(peak, std::abs(y[i]));
  return peak;
}

TEST(Butterworth, MatchesTheAnalogPrototypeThroughTheBilinearTransform) {
  // The bilinear transform maps digital f to analog Ω = 2 fs tan(π f / fs); an analog
  // Butterworth band-pass has |H(jΩ)|² = 1 / (1 + ((Ω² − Ω0²) / (Ω · B))^(2N)).
  for (int order : {2, 4, 5}) {
    const double lo = 1.0, hi = 45.0;
    const SosFilter sos = butterworth_bandpass(order, lo, hi, kFs);
    ASSERT_EQ(sos.size(), static_cast<std::size_t>(order));
    auto warp = [](double f) { return 2.0 * kFs * std::tan(kPi * f / kFs); };
    const double w_lo = warp(lo), w_hi = warp(hi);
    for (double f : {0.3, 1.0, 3.0, 10.0, 30.0, 45.0, 60.0, 100.0}) {
      const double w = warp(f);
      const double ratio = (w * w - w_lo * w_hi) / (w * (w_hi - w_lo));
      const double expected = 1.0 / (1.0 + std::pow(ratio * ratio, order));
      EXPECT_NEAR(std::norm(frequency_response(sos, f, kFs)), expected, 1e-9)
          << "order " << order << " at " << f << " Hz";
    }
  }
}

TEST(Butterworth, EdgesAreMinus3Db) {
  const SosFilter sos = butterworth_bandpass(4, 1.0, 45.0, kFs);
  EXPECT_NEAR(std::abs(frequency_response(sos, 1.0, kFs)), 1.0 / std::sqrt(2.0), 1e-9);
  EXPECT_NEAR(std::abs(frequency_response(sos, 45.0, kFs)), 1.0 / std::sqrt(2.0), 1e-9);
  EXPECT_NEAR(std::abs(frequency_response(sos, 0.0, kFs)), 0.0, 1e-12);
  EXPECT_NEAR(std::abs(frequency_response(sos, kFs / 2, kFs)), 0.0, 1e-9);
}

TEST(Butterworth, RejectsImpossibleBands) {
  EXPECT_THROW(butterworth_bandpass(4, 1.0, 130.0, kFs), std::invalid_argument);
  EXPECT_THROW(butterworth_bandpass(4, 10.0, 5.0, kFs), std::invalid_argument);
  EXPECT_THROW(butterworth_bandpass(0, 1.0, 45.0, kFs), std::invalid_argument);
  EXPECT_THROW(iir_notch(200.0, 30.0, kFs), std::invalid_argument);
}

TEST(Notch, ZeroAtCentreAndHalfPowerAtBandEdges) {
  const Biquad notch = iir_notch(50.0, 30.0, kFs);
  const SosFilter sos{notch};
  EXPECT_LT(std::abs(frequency_response(sos, 50.0, kFs)), 1e-12);
  // scipy's design puts the -3 dB points half a bandwidth (f0 / Q) either side, pre-warped:
  // near, not exactly at, f0 ± f0 / (2Q) in Hz.
  const double half_width = 50.0 / 30.0 / 2.0;
  EXPECT_NEAR(std::abs(frequency_response(sos, 50.0 - half_width, kFs)), 1 / std::sqrt(2.0), 0.02);
  EXPECT_NEAR(std::abs(frequency_response(sos, 50.0 + half_width, kFs)), 1 / std::sqrt(2.0), 0.02);
  EXPECT_NEAR(std::abs(frequency_response(sos, 10.0, kFs)), 1.0, 1e-3);
}

TEST(SosFilter, MatchesTheDifferenceEquation) {
  const Biquad q = iir_notch(20.0, 5.0, kFs);
  std::vector<double> x = sine(7.0, 1.0, 0.3, 1.0);
  x[10] += 5.0;  // an impulse, so the recursion is exercised beyond a steady sine
  std::vector<double> expected(x.size());
  for (std::size_t n = 0; n < x.size(); ++n) {
    const double x1 = n >= 1 ? x[n - 1] : 0, x2 = n >= 2 ? x[n - 2] : 0;
    const double y1 = n >= 1 ? expected[n - 1] : 0, y2 = n >= 2 ? expected[n - 2] : 0;
    expected[n] = q.b0 * x[n] + q.b1 * x1 + q.b2 * x2 - q.a1 * y1 - q.a2 * y2;
  }
  std::vector<double> y = x;
  sos_filter({q}, y.data(), y.size(), nullptr);
  for (std::size_t n = 0; n < y.size(); ++n) ASSERT_NEAR(y[n], expected[n], 1e-12) << n;
}

TEST(SosFilter, StepStateIsTheSteadyState) {
  const SosFilter sos = eeg_cascade();
  std::vector<double> state = sos_step_state(sos);
  std::vector<double> ones(50, 1.0);
  sos_filter(sos, ones.data(), ones.size(), &state);
  const double dc_gain = std::abs(frequency_response(sos, 0.0, kFs));
  for (double v : ones) EXPECT_NEAR(v, dc_gain, 1e-12);
}

TEST(Filtfilt, PassBandSineKeepsItsAmplitudeAndPhase) {
  const std::vector<double> x = sine(10.0, 1.0, 0.0, 20.0);
  const std::vector<double> y = filtfilt(eeg_cascade(), x, 256);
  ASSERT_EQ(y.size(), x.size());
  EXPECT_NEAR(middle_peak(y, 2.0), 1.0, 0.01);
  // Zero phase: the output lies on the input, sample for sample.
  for (std::size_t i = 512; i + 512 < x.size(); ++i) ASSERT_NEAR(y[i], x[i], 0.01) << i;
}

TEST(Filtfilt, MainsIsAttenuatedBy30Db) {
  const std::vector<double> x = sine(50.0, 1.0, 0.0, 20.0);
  const std::vector<double> y = filtfilt(eeg_cascade(), x, 256);
  EXPECT_LT(middle_peak(y, 2.0), std::pow(10.0, -30.0 / 20.0));
}

TEST(Filtfilt, DcIsRemoved) {
  std::vector<double> x = sine(10.0, 1.0, 800.0, 20.0);  // Muse channels sit near 800 µV
  const std::vector<double> y = filtfilt(eeg_cascade(), x, 256);
  double mean = 0;
  for (std::size_t i = 512; i + 512 < y.size(); ++i) mean += y[i];
  mean /= static_cast<double>(y.size() - 1024);
  EXPECT_NEAR(mean, 0.0, 1e-3);
  EXPECT_NEAR(middle_peak(y, 2.0), 1.0, 0.01);
  // A constant signal starts in the filter's steady state at both ends: nothing comes out.
  const std::vector<double> flat = filtfilt(eeg_cascade(), std::vector<double>(1000, 800.0));
  for (double v : flat) ASSERT_NEAR(v, 0.0, 1e-9);
}

TEST(Filtfilt, ShortSignalsClampThePadding) {
  const std::vector<double> x = sine(10.0, 1.0, 0.0, 0.05);  // 12 samples, padding 256 asked
  const std::vector<double> y = filtfilt(eeg_cascade(), x, 256);
  ASSERT_EQ(y.size(), x.size());
  for (double v : y) EXPECT_TRUE(std::isfinite(v));
}

}  // namespace
}  // namespace eegsweep

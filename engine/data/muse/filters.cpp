#include "engine/data/muse/filters.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace eegsweep {
namespace {

using Complex = std::complex<double>;
constexpr double kPi = 3.14159265358979323846;

void require(bool ok, const std::string& message) {
  if (!ok) throw std::invalid_argument(message);
}

}  // namespace

SosFilter butterworth_bandpass(int order, double low_hz, double high_hz, double fs) {
  require(order >= 1 && order <= 20,
          "Butterworth order must be in [1, 20], got " + std::to_string(order));
  require(fs > 0 && low_hz > 0 && low_hz < high_hz && high_hz < fs / 2,
          "band-pass needs 0 < low (" + std::to_string(low_hz) + " Hz) < high (" +
              std::to_string(high_hz) + " Hz) < fs/2 (" + std::to_string(fs / 2) + " Hz)");

  // Pre-warp the band edges so that the bilinear transform puts the -3 dB points exactly there.
  const double fs2 = 2.0 * fs;
  const double w_low = fs2 * std::tan(kPi * low_hz / fs);
  const double w_high = fs2 * std::tan(kPi * high_hz / fs);
  const double bandwidth = w_high - w_low;
  const double w0_sq = w_low * w_high;

  // Analog low-pass prototype poles on the unit circle's left half (scipy's buttap), each mapped
  // to two band-pass poles (lp2bp), then to the z-plane (bilinear). The band-pass zeros are
  // `order` at s = 0 (→ z = +1) and `order` at infinity (→ z = -1).
  std::vector<Complex> poles;
  Complex gain_num = std::pow(fs2, order);  // prod(fs2 - z) over the zeros at s = 0
  Complex gain_den = 1.0;
  for (int m = -order + 1; m < order; m += 2) {
    const Complex p = -std::exp(Complex(0.0, kPi * m / (2.0 * order)));
    const Complex p_lp = p * (bandwidth / 2.0);
    const Complex root = std::sqrt(p_lp * p_lp - w0_sq);
    for (const Complex s : {p_lp + root, p_lp - root}) {
      gain_den *= fs2 - s;
      poles.push_back((fs2 + s) / (fs2 - s));
    }
  }
  const double gain = std::pow(bandwidth, order) * (gain_num / gain_den).real();

  // Pair each pole with its conjugate (or two real poles together) into one section; every
  // section gets one zero at +1 and one at -1: numerator 1 - z^-2.
  std::vector<Complex> upper;
  std::vector<double> reals;
  for (const Complex& p : poles) {
    if (std::abs(p.imag()) <= 1e-12 * std::max(1.0, std::abs(p))) {
      reals.push_back(p.real());
    } else if (p.imag() > 0) {
      upper.push_back(p);
    }
  }
  // Sections ordered by pole radius, closest to the unit circle last (as scipy's zpk2sos).
  std::sort(upper.begin(), upper.end(),
            [](const Complex& a, const Complex& b) { return std::abs(a) < std::abs(b); });
  std::sort(reals.begin(), reals.end(),
            [](double a, double b) { return std::abs(a) < std::abs(b); });
  SosFilter sos;
  for (std::size_t i = 0; i + 1 < reals.size(); i += 2) {
    Biquad q;
    q.a1 = -(reals[i] + reals[i + 1]);
    q.a2 = reals[i] * reals[i + 1];
    sos.push_back(q);
  }
  for (const Complex& p : upper) {
    Biquad q;
    q.a1 = -2.0 * p.real();
    q.a2 = std::norm(p);
    sos.push_back(q);
  }
  if (sos.size() != static_cast<std::size_t>(order)) {
    throw std::logic_error("butterworth_bandpass: pole pairing failed");
  }
  for (Biquad& q : sos) {
    q.b0 = 1.0;
    q.b1 = 0.0;
    q.b2 = -1.0;
  }
  sos.front().b0 *= gain;
  sos.front().b2 *= gain;
  return sos;
}

Biquad iir_notch(double f0_hz, double q, double fs) {
  require(fs > 0 && f0_hz > 0 && f0_hz < fs / 2,
          "notch frequency " + std::to_string(f0_hz) + " Hz must be in (0, fs/2 = " +
              std::to_string(fs / 2) + " Hz)");
  require(q > 0, "notch quality factor must be > 0");
  const double w0 = 2.0 * kPi * f0_hz / fs;
  const double beta = std::tan(w0 / q / 2.0);  // -3 dB half-bandwidth, pre-warped
  const double g = 1.0 / (1.0 + beta);
  Biquad s;
  s.b0 = g;
  s.b1 = -2.0 * g * std::cos(w0);
  s.b2 = g;
  s.a1 = -2.0 * g * std::cos(w0);
  s.a2 = 2.0 * g - 1.0;
  return s;
}

std::complex<double> frequency_response(const SosFilter& sos, double f_hz, double fs) {
  const Complex z1 = std::exp(Complex(0.0, -2.0 * kPi * f_hz / fs));  // z^-1
  const Complex z2 = z1 * z1;
  Complex h = 1.0;
  for (const Biquad& s : sos) {
    h *= (s.b0 + s.b1 * z1 + s.b2 * z2) / (1.0 + s.a1 * z1 + s.a2 * z2);
  }
  return h;
}

std::vector<double> sos_step_state(const SosFilter& sos) {
  std::vector<double> state;
  state.reserve(2 * sos.size());
  double input_level = 1.0;  // steady-state level entering this section
  for (const Biquad& s : sos) {
    const double dc_gain = (s.b0 + s.b1 + s.b2) / (1.0 + s.a1 + s.a2);
    const double out = dc_gain * input_level;
    state.push_back(out - s.b0 * input_level);
    state.push_back(s.b2 * input_level - s.a2 * out);
    input_level = out;
  }
  return state;
}

void sos_filter(const SosFilter& sos, double* x, std::size_t n, std::vector<double>* state) {
  std::vector<double> local;
  std::vector<double>& z = state ? *state : local;
  if (z.empty()) z.assign(2 * sos.size(), 0.0);
  if (z.size() != 2 * sos.size()) throw std::invalid_argument("sos_filter: state size mismatch");
  for (std::size_t k = 0; k < sos.size(); ++k) {
    const Biquad& s = sos[k];
    double z0 = z[2 * k];
    double z1 = z[2 * k + 1];
    for (std::size_t i = 0; i < n; ++i) {
      const double in = x[i];
      const double out = s.b0 * in + z0;
      z0 = s.b1 * in - s.a1 * out + z1;
      z1 = s.b2 * in - s.a2 * out;
      x[i] = out;
    }
    z[2 * k] = z0;
    z[2 * k + 1] = z1;
  }
}

int default_filtfilt_padding(const SosFilter& sos) {
  // scipy: 3 * (2 * n_sections + 1 - min(#b2 == 0, #a2 == 0))
  int b_zero = 0, a_zero = 0;
  for (const Biquad& s : sos) {
    b_zero += s.b2 == 0.0;
    a_zero += s.a2 == 0.0;
  }
  return 3 * (2 * static_cast<int>(sos.size()) + 1 - std::min(b_zero, a_zero));
}

std::vector<double> filtfilt(const SosFilter& sos, const std::vector<double>& x, int padding) {
  const std::size_t n = x.size();
  if (n == 0 || sos.empty()) return x;
  if (padding < 0) padding = default_filtfilt_padding(sos);
  const std::size_t pad = std::min<std::size_t>(static_cast<std::size_t>(padding), n - 1);

  // Odd reflection about the end points keeps the signal and its slope continuous there.
  std::vector<double> ext(n + 2 * pad);
  for (std::size_t i = 0; i < pad; ++i) ext[i] = 2.0 * x[0] - x[pad - i];
  std::copy(x.begin(), x.end(), ext.begin() + static_cast<std::ptrdiff_t>(pad));
  for (std::size_t i = 0; i < pad; ++i) ext[pad + n + i] = 2.0 * x[n - 1] - x[n - 2 - i];

  const std::vector<double> step = sos_step_state(sos);
  std::vector<double> state(step.size());
  for (std::size_t i = 0; i < step.size(); ++i) state[i] = step[i] * ext.front();
  sos_filter(sos, ext.data(), ext.size(), &state);

  std::reverse(ext.begin(), ext.end());
  for (std::size_t i = 0; i < step.size(); ++i) state[i] = step[i] * ext.front();
  sos_filter(sos, ext.data(), ext.size(), &state);
  std::reverse(ext.begin(), ext.end());

  return std::vector<double>(ext.begin() + static_cast<std::ptrdiff_t>(pad),
                             ext.begin() + static_cast<std::ptrdiff_t>(pad + n));
}

}  // namespace eegsweep

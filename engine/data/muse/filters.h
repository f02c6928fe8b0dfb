#pragma once
// IIR filter design and zero-phase filtering for EEG: Butterworth band-pass designed through the
// bilinear transform as second-order sections, an iirnotch-style mains notch, and a
// forward-backward cascade equivalent to scipy.signal.sosfiltfilt (odd reflection padding,
// steady-state initial conditions). Everything runs in double precision.

#include <complex>
#include <vector>

namespace eegsweep {

// One second-order section, a0 normalised to 1:
//   H(z) = (b0 + b1 z^-1 + b2 z^-2) / (1 + a1 z^-1 + a2 z^-2)
struct Biquad {
  double b0 = 1, b1 = 0, b2 = 0;
  double a1 = 0, a2 = 0;
};
using SosFilter = std::vector<Biquad>;

// Digital Butterworth band-pass of prototype order `order` (so 2·order poles, `order` sections),
// band edges in Hz (-3 dB points), at sampling rate fs. Same filter as
// scipy.signal.butter(order, [low_hz, high_hz], btype="band", fs=fs, output="sos").
// Throws std::invalid_argument unless 0 < low_hz < high_hz < fs / 2 and 1 <= order <= 20.
SosFilter butterworth_bandpass(int order, double low_hz, double high_hz, double fs);

// Second-order notch at f0_hz with quality factor q (-3 dB bandwidth f0 / q), as
// scipy.signal.iirnotch(f0_hz, q, fs). Throws std::invalid_argument unless 0 < f0 < fs / 2, q > 0.
Biquad iir_notch(double f0_hz, double q, double fs);

// Frequency response of the cascade at f_hz.
std::complex<double> frequency_response(const SosFilter& sos, double f_hz, double fs);

// Steady-state section states for a unit step input (scipy.signal.sosfilt_zi), two per section.
std::vector<double> sos_step_state(const SosFilter& sos);

// Causal filtering in place (direct form II transposed). `state` holds two values per section,
// is used as the initial state and left as the final one; empty means zero initial state.
void sos_filter(const SosFilter& sos, double* x, std::size_t n, std::vector<double>* state);

// The default padding of scipy.signal.sosfiltfilt for this cascade.
int default_filtfilt_padding(const SosFilter& sos);

// Zero-phase filtering (forward, then backward): the magnitude response is |H|², the phase is 0.
// The signal is extended at both ends by odd reflection of `padding` samples (clamped to n - 1;
// negative = scipy's default), and each pass starts from the steady state of its first sample, so
// a constant input passes through the band-pass without an edge transient.
std::vector<double> filtfilt(const SosFilter& sos, const std::vector<double>& x, int padding = -1);

}  // namespace eegsweep

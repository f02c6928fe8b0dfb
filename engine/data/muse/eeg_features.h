#pragma once
// Per-window EEG features after Bird et al.'s published generator (jordan-bird/
// eeg-feature-generation, code/EEG_feature_extraction.py), computed in double precision.
//
// One window (C channels × N samples) gives, in this order (names as the generator's, channel
// index i last):
//   mean_i, mean_d_h2h1_i, mean_q{1..4}_i, mean_d_q{ab}_i (ab = 12 13 14 23 24 34: q_a − q_b),
//   std_i (N − 1), std_d_h2h1_i, skew_i, kurt_i (bias-corrected, excess: scipy's bias=False),
//   max_i, max_d_h2h1_i, max_q…, max_d_q…, min_i, min_d_h2h1_i, min_q…, min_d_q…,
//   covM_i_j (channel covariance, upper triangle i <= j), eigenval_k (descending),
//   logcovM_i_j (|logm(cov)|, upper triangle), topFreq_{1..10}_i, freq_XXX_i (FFT magnitudes,
//   XXX = 10 × frequency in Hz).
// Halves split at floor(N/2), quarters at floor(N/4), floor(N/2), floor(3N/4) (the generator's
// np.split); *_d_h2h1 = second half − first half.
//
// A table row is the previous window's vector (suffix _a), minus the quarter features that the
// half-window overlap makes redundant (q3, q4 and d_q3q4 of mean, max and min, as the generator
// removes), followed by the current window's vector (suffix _b): the _a/_b order of the
// generator that built Kaggle's emotions.csv.
//
// Deliberate differences from the generator, each for correctness:
//  - FFT frequencies are the true bin frequencies k / window_seconds (the generator labels bins
//    with linspace(0, fs/2, N/2), off by one bin spacing over the range); so mains ± 1 Hz removes
//    the three bins 49, 50, 51 Hz at the default 1 s / 150 samples, where the generator removes
//    two: 71 magnitude bins per channel instead of 72.
//  - eigenvalues are sorted in descending order (numpy.linalg.eigvals returns them unordered).
//  - degenerate windows stay finite: a constant channel has skew = kurt = 0, eigenvalues are
//    floored at 1e-12 × the largest before the logarithm, a constant window has zero spectrum.

#include <cstddef>
#include <string>
#include <vector>

namespace eegsweep {

struct WindowFeatureOptions {
  double window_seconds = 1.0;  // the window's duration, for the FFT's frequency axis
  double mains_hz = 50.0;       // FFT bins within ±1 Hz of this are dropped; 0 = keep all
  int top_frequencies = 10;     // strongest frequencies listed per channel
  // Drop the previous window's q3/q4 features from a row: right when the hop is half a window
  // (the generator's overlap), when they equal the current q1/q2; keep them for other hops.
  bool drop_redundant_lag = true;
};

// Computes one window's feature vector and pairs consecutive windows into table rows.
// Construction validates the shape and prepares names and DFT tables; compute() is reentrant.
class WindowFeaturizer {
 public:
  // Throws std::invalid_argument for channels < 1, samples < 8, or fewer FFT bins than
  // top_frequencies.
  WindowFeaturizer(int channels, int samples, const WindowFeatureOptions& options);

  int channels() const { return channels_; }
  int samples() const { return samples_; }
  std::size_t window_size() const { return window_names_.size(); }
  // Names of one window's features (no suffix).
  const std::vector<std::string>& window_names() const { return window_names_; }
  // Names of a table row: kept previous-window features + "_a", then all current + "_b".
  const std::vector<std::string>& row_names() const { return row_names_; }
  std::size_t row_size() const { return row_names_.size(); }
  // Frequencies (Hz) of the FFT bins kept, in feature order.
  const std::vector<double>& bin_frequencies() const { return bin_hz_; }

  // window: channels × samples, channel-major. out is resized to window_size().
  void compute(const double* window, std::vector<double>& out) const;
  // Writes one row (row_size() values) from two consecutive windows' vectors.
  void make_row(const std::vector<double>& previous, const std::vector<double>& current,
                float* row) const;

 private:
  int channels_;
  int samples_;
  WindowFeatureOptions options_;
  std::vector<std::string> window_names_;
  std::vector<std::string> row_names_;
  std::vector<std::size_t> lag_kept_;  // indices into a window vector kept for the _a part
  std::vector<int> bins_;              // FFT bin indices kept
  std::vector<double> bin_hz_;
  std::vector<double> cos_table_, sin_table_;  // e^{-2πi k/N}, k in [0, N)
};

// Building blocks, exposed for tests.

// scipy.stats.skew(x, bias=False); 0 for a constant signal or n < 3.
double sample_skewness(const double* x, std::size_t n);
// scipy.stats.kurtosis(x, fisher=True, bias=False); 0 for a constant signal or n < 4.
double sample_excess_kurtosis(const double* x, std::size_t n);
// Standard deviation with N − 1 in the denominator (numpy ddof=1).
double sample_std(const double* x, std::size_t n);

// Covariance (N − 1) of channels × samples channel-major data: channels × channels, row-major.
std::vector<double> covariance_matrix(const double* data, int channels, std::size_t samples);

// Symmetric eigen-decomposition by cyclic Jacobi rotations (exact to rounding for small n).
// values descending; vectors row-major n × n with eigenvector k in column k.
void symmetric_eigen(const std::vector<double>& a, int n, std::vector<double>& values,
                     std::vector<double>& vectors);

// Principal matrix logarithm of a symmetric positive (semi-)definite matrix: V log(Λ) Vᵀ, with
// eigenvalues floored at 1e-12 × the largest (and at the smallest positive double).
std::vector<double> matrix_log_spd(const std::vector<double>& a, int n);

}  // namespace eegsweep

#pragma once
// Uncertainty of cross-validation scores: a mean over k folds with its standard error and a 95 %
// interval from Student's t (k − 1 degrees of freedom), and a paired t-test between two trials
// scored on the same folds. Folds share training rows, so these intervals are approximate (too
// narrow rather than too wide); they say how much the fold-to-fold spread alone allows.

#include <vector>

namespace eegsweep {

struct MeanInterval {
  int n = 0;
  double mean = 0;
  double std_error = 0;  // sample standard deviation / sqrt(n); 0 when n < 2
  double low = 0, high = 0;  // mean ∓ t(0.975, n − 1) · std_error; = mean when n < 2
};
MeanInterval mean_interval(const std::vector<double>& values);

// P(T <= t) for Student's t with `df` > 0 degrees of freedom.
double student_t_cdf(double t, double df);
// The t with student_t_cdf(t, df) = p, for p in (0, 1).
double student_t_quantile(double p, double df);

struct PairedTest {
  int n = 0;                   // pairs (folds)
  double mean_difference = 0;  // mean of a[i] − b[i]
  double t = 0;                // mean_difference / (sd of the differences / sqrt(n))
  double p_value = 1;          // two-sided, n − 1 degrees of freedom
};
// Throws std::invalid_argument unless a and b have the same size >= 2. Identical pairs give
// t = 0 and p = 1; differences that are all equal and non-zero give |t| = inf and p = 0.
PairedTest paired_t_test(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace eegsweep

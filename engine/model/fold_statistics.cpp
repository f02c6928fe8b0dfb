#include "engine/model/fold_statistics.h"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace eegsweep {

namespace {

// Continued fraction of the regularized incomplete beta function (modified Lentz), converging
// for x < (a + 1) / (a + b + 2).
double beta_continued_fraction(double a, double b, double x) {
  constexpr double tiny = 1e-300;
  double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0);
  if (std::fabs(d) < tiny) d = tiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= 500; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
    d = 1.0 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1.0 / d;
    const double step = d * c;
    h *= step;
    if (std::fabs(step - 1.0) < 1e-15) break;
  }
  return h;
}

// I_x(a, b).
double regularized_beta(double a, double b, double x) {
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  const double front = std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) +
                                a * std::log(x) + b * std::log1p(-x));
  if (x < (a + 1.0) / (a + b + 2.0)) return front * beta_continued_fraction(a, b, x) / a;
  return 1.0 - front * beta_continued_fraction(b, a, 1.0 - x) / b;
}

}  // namespace

double student_t_cdf(double t, double df) {
  if (!(df > 0)) throw std::invalid_argument("student_t_cdf: degrees of freedom must be positive");
  if (std::isinf(t)) return t > 0 ? 1.0 : 0.0;
  const double tail = 0.5 * regularized_beta(df / 2.0, 0.5, df / (df + t * t));  // P(T > |t|)
  return t >= 0 ? 1.0 - tail : tail;
}

double student_t_quantile(double p, double df) {
  if (!(p > 0 && p < 1)) throw std::invalid_argument("student_t_quantile: p must be in (0, 1)");
  // Bisection: the cdf is monotone, and 200 halvings of [-1e6, 1e6] reach double precision.
  double low = -1e6, high = 1e6;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (low + high);
    (student_t_cdf(mid, df) < p ? low : high) = mid;
  }
  return 0.5 * (low + high);
}

MeanInterval mean_interval(const std::vector<double>& values) {
  MeanInterval r;
  r.n = static_cast<int>(values.size());
  if (r.n == 0) return r;
  double sum = 0;
  for (double v : values) sum += v;
  r.mean = sum / r.n;
  r.low = r.high = r.mean;
  if (r.n < 2) return r;
  double squares = 0;
  for (double v : values) squares += (v - r.mean) * (v - r.mean);
  r.std_error = std::sqrt(squares / (r.n - 1)) / std::sqrt(static_cast<double>(r.n));
  const double t = student_t_quantile(0.975, r.n - 1);
  r.low = r.mean - t * r.std_error;
  r.high = r.mean + t * r.std_error;
  return r;
}

PairedTest paired_t_test(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size() || a.size() < 2) {
    throw std::invalid_argument("paired t-test: needs two equally long lists of at least 2 scores");
  }
  PairedTest r;
  r.n = static_cast<int>(a.size());
  std::vector<double> d(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) d[i] = a[i] - b[i];
  const MeanInterval m = mean_interval(d);
  r.mean_difference = m.mean;
  if (m.std_error == 0) {
    r.t = m.mean == 0 ? 0 : std::copysign(std::numeric_limits<double>::infinity(), m.mean);
    r.p_value = m.mean == 0 ? 1 : 0;
    return r;
  }
  r.t = m.mean / m.std_error;
  r.p_value = 2.0 * (1.0 - student_t_cdf(std::fabs(r.t), r.n - 1));
  return r;
}

}  // namespace eegsweep

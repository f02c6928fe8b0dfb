// Keras Adam as training_rules.h states it, checked against values worked out by hand (and in
// double precision outside this code base), never against the functions under test. β1 and β2
// are float32 constants, as Keras stores them: β1 = 0.89999997615814, β2 = 0.99900001287460,
// which moves the figures below from the decimal textbook ones in the sixth digit.

#include <gtest/gtest.h>

#include "engine/model/training_rules.h"

namespace eegsweep {
namespace {

TEST(AdamRule, StepSizeHasKerasBiasCorrection) {
  // Tolerances are float32's: alpha is computed in double and rounded to float once.
  // alpha_t = lr · sqrt(1 − 0.999^t) / (1 − 0.9^t); without the correction it would be lr.
  EXPECT_NEAR(adam_alpha(0.01, 1), 0.01 * 0.31622565496269905, 1e-9);
  EXPECT_NEAR(adam_alpha(0.01, 2), 0.01 * 0.23531515812492532, 1e-9);
  EXPECT_NEAR(adam_alpha(0.01, 3), 0.01 * 0.20200925514592752, 1e-9);
  // Late in training the correction fades: sqrt(1 − β2^10000) / (1 − β1^10000) ≈ 0.99998.
  EXPECT_NEAR(adam_alpha(0.01, 10000), 0.01 * 0.99997741016081810, 1e-9);
}

TEST(AdamRule, TwoStepsByHand) {
  // w = 1, weight decay 0.1, gradients 0.5 then −0.2.
  // t = 1: g = 0.5 + 0.1·1 = 0.6, m = 0.06, v = 0.00036; the bias-corrected first step moves w by
  //        almost exactly lr: w = 0.99000005.
  // t = 2: g = −0.2 + 0.1·0.99000005, m = 0.0439, v = 0.00036984; w = 0.98462840.
  float w = 1.0f, m = 0.0f, v = 0.0f;
  adam_update(w, m, v, 0.5f, static_cast<float>(0.01 * 0.31622565496269905), 0.1f);
  EXPECT_NEAR(m, 0.0600000143, 1e-8);
  EXPECT_NEAR(v, 0.0003599953651, 1e-10);
  EXPECT_NEAR(w, 0.9900000527, 1e-7);
  adam_update(w, m, v, -0.2f, static_cast<float>(0.01 * 0.23531515812492532), 0.1f);
  EXPECT_NEAR(m, 0.0439000096, 1e-8);
  EXPECT_NEAR(v, 0.0003698362420, 1e-10);
  EXPECT_NEAR(w, 0.9846284049, 1e-7);
}

TEST(AdamRule, NoDecayLeavesTheGradientAlone) {
  float w = 2.0f, m = 0.0f, v = 0.0f;
  adam_update(w, m, v, -1.0f, 0.001f, 0.0f);
  EXPECT_NEAR(m, -0.1000000238, 1e-8);
  EXPECT_NEAR(v, 0.0009999871254, 1e-10);
  // m / sqrt(v) = −0.1 / 0.0316226 = −3.16230: w = 2 + 0.001·3.16230 (ε = 1e-7 is negligible).
  EXPECT_NEAR(w, 2.0031622888, 1e-6);
}

}  // namespace
}  // namespace eegsweep

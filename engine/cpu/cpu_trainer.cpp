#include "engine/cpu/cpu_trainer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>

#include "engine/cpu/gru_layout.h"
#include "engine/cpu/openmp_threads.h"
#include "engine/model/training_rules.h"

namespace eegsweep {
namespace {

using dnnl::memory;
using tag = dnnl::memory::format_tag;
constexpr auto f32 = dnnl::memory::data_type::f32;
constexpr auto left2right = dnnl::rnn_direction::unidirectional_left2right;

std::string isa_name(dnnl::cpu_isa isa) {
  switch (isa) {
    case dnnl::cpu_isa::sse41: return "sse41";
    case dnnl::cpu_isa::avx: return "avx";
    case dnnl::cpu_isa::avx2: return "avx2";
    case dnnl::cpu_isa::avx512_core: return "avx512_core";
    case dnnl::cpu_isa::avx512_core_vnni: return "avx512_core_vnni";
    case dnnl::cpu_isa::avx512_core_bf16: return "avx512_core_bf16";
    case dnnl::cpu_isa::avx512_core_amx: return "avx512_core_amx";
    default: return "other";
  }
}

void check_rows(const RowList& rows, const Dataset& data, const char* what) {
  for (RowIndex r : rows) {
    if (r >= data.rows) {
      throw std::out_of_range(std::string("cpu trainer: ") + what + " row " + std::to_string(r) +
                              " is outside the dataset's " + std::to_string(data.rows) + " rows");
    }
  }
}

}  // namespace

CpuTrainer::CpuTrainer(std::shared_ptr<const Dataset> data, const ModelConfig& model,
                       const TrainConfig& train, const FoldData& fold)
    : data_(std::move(data)),
      model_(model),
      train_(train),
      fold_(fold),
      layout_(model),
      engine_(dnnl::engine::kind::cpu, 0),
      stream_(engine_) {
  set_openmp_threads(1);
  if (!data_) throw std::invalid_argument("cpu trainer: set_dataset was not called");
  const std::size_t features = static_cast<std::size_t>(model.timesteps) * model.input_size;
  if (data_->features != features) {
    throw std::invalid_argument("cpu trainer: the model reads " + std::to_string(model.timesteps) +
                                " steps × " + std::to_string(model.input_size) + " inputs = " +
                                std::to_string(features) + " features, the dataset has " +
                                std::to_string(data_->features));
  }
  if (fold_.standardizer.mean.size() != features || fold_.standardizer.inv_std.size() != features) {
    throw std::invalid_argument("cpu trainer: the standardizer has " +
                                std::to_string(fold_.standardizer.mean.size()) +
                                " features, the dataset " + std::to_string(features));
  }
  for (std::size_t r = 0; r < data_->y.size(); ++r) {
    if (data_->y[r] < 0 || data_->y[r] >= model.num_classes) {
      throw std::invalid_argument("cpu trainer: row " + std::to_string(r) + " has class " +
                                  std::to_string(data_->y[r]) + ", the model has " +
                                  std::to_string(model.num_classes) + " classes");
    }
  }
  if (train.batch_size < 1) throw std::invalid_argument("cpu trainer: batch_size must be >= 1");
  if (!(train.dropout >= 0.0 && train.dropout < 1.0)) {
    throw std::invalid_argument("cpu trainer: dropout must be in [0, 1), got " +
                                std::to_string(train.dropout));
  }
  check_rows(fold_.train_rows, *data_, "training");
  check_rows(fold_.val_rows, *data_, "validation");

  params_ = init_weights(model, train.seed).values;
  grad_.assign(layout_.total, 0.0f);
  adam_m_.assign(layout_.total, 0.0f);
  adam_v_.assign(layout_.total, 0.0f);
  for (const GruLayerOffsets& layer : layout_.layers) {
    segments_.push_back({layer.w, layer.b_w, true});
    segments_.push_back({layer.b_w, layer.b_r + 3 * static_cast<std::size_t>(model.hidden_size), false});
  }
  segments_.push_back({layout_.head_w, layout_.head_b, true});
  segments_.push_back({layout_.head_b, layout_.total, false});

  const memory::dim H = model.hidden_size;
  layers_.resize(layout_.layers.size());
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    LayerState& s = layers_[l];
    const memory::dim in = layout_.layers[l].input_size;
    s.weights_layer.assign(in * 3 * H, 0.0f);
    s.weights_iter.assign(H * 3 * H, 0.0f);
    s.bias.assign(4 * H, 0.0f);
    s.diff_weights_layer = s.weights_layer;
    s.diff_weights_iter = s.weights_iter;
    s.diff_bias = s.bias;
    const memory::desc wl({1, 1, in, 3, H}, f32, tag::ldigo);
    const memory::desc wi({1, 1, H, 3, H}, f32, tag::ldigo);
    const memory::desc b({1, 1, 4, H}, f32, tag::ldgo);
    s.weights_layer_mem = memory(wl, engine_, s.weights_layer.data());
    s.weights_iter_mem = memory(wi, engine_, s.weights_iter.data());
    s.bias_mem = memory(b, engine_, s.bias.data());
    s.diff_weights_layer_mem = memory(wl, engine_, s.diff_weights_layer.data());
    s.diff_weights_iter_mem = memory(wi, engine_, s.diff_weights_iter.data());
    s.diff_bias_mem = memory(b, engine_, s.diff_bias.data());
  }
}

HeadShape CpuTrainer::head_shape(int batch) const {
  HeadShape s;
  s.head = model_.head;
  s.timesteps = model_.timesteps;
  s.hidden = model_.hidden_size;
  s.classes = model_.num_classes;
  s.batch = batch;
  return s;
}

namespace {

// What the kernel could hand out now without swapping (MemAvailable); 0 when unknown.
std::size_t available_memory_bytes() {
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  std::size_t kib = 0;
  std::string unit;
  while (meminfo >> key >> kib >> unit) {
    if (key == "MemAvailable:") return kib * 1024;
  }
  return 0;
}

std::string gib(std::size_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f GiB", static_cast<double>(bytes) / (1u << 30));
  return text;
}

}  // namespace

// Backpropagation through time keeps every step's activations: T × B × H floats several times
// over per layer. With the default timesteps (one feature per step) a wide table becomes a very
// long sequence, and a 32 MB table of 10^6 columns asked for tens of GB. Checked before the first
// allocation, so such a trial fails with the numbers instead of exhausting the machine.
void CpuTrainer::check_memory_fits(std::size_t bytes, int batch) const {
  const std::size_t available = available_memory_bytes();
  if (available == 0 || bytes <= available) return;
  throw TrainingError("training needs about " + gib(bytes) + " for its activations (" +
                      std::to_string(model_.timesteps) + " steps × " + std::to_string(batch) +
                      " rows × " + std::to_string(model_.hidden_size) + " hidden units × " +
                      std::to_string(model_.num_layers) + " layer(s), kept for backpropagation); " +
                      gib(available) + " is available. Shorten the sequence with timesteps (a row "
                      "of F features becomes timesteps steps of F/timesteps), or lower batch_size or "
                      "hidden_size");
}

CpuTrainer::Plan& CpuTrainer::plan_for(int batch, bool training) {
  for (auto& plan : plans_) {
    if (plan->batch == batch && plan->training == training) return *plan;
  }
  auto plan = std::make_unique<Plan>();
  plan->batch = batch;
  plan->training = training;

  const memory::dim T = model_.timesteps, B = batch, H = model_.hidden_size;
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);  // one buffer for all, no hidden allocations
  const memory::desc none;  // zero initial state, final state not needed
  std::size_t scratch = 0;
  std::size_t needed = 0;  // bytes of the buffers below, checked before any is allocated
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    const memory::dim in = layout_.layers[l].input_size;
    const memory::desc src({T, B, in}, f32, tag::tnc);
    const memory::desc dst({T, B, H}, f32, tag::tnc);
    // `any` lets each primitive pick its weight format (backward prefers ldgoi); in_format
    // reorders from our ldigo copies when it differs.
    const memory::desc wl({1, 1, in, 3, H}, f32, tag::any);
    const memory::desc wi({1, 1, H, 3, H}, f32, tag::any);
    const memory::desc bias({1, 1, 4, H}, f32, tag::ldgo);

    LayerPlan lp;
    const auto kind = training ? dnnl::prop_kind::forward_training : dnnl::prop_kind::forward_inference;
    dnnl::lbr_gru_forward::desc fwd(kind, left2right, src, none, wl, wi, bias, dst, none);
    lp.fwd_pd = dnnl::lbr_gru_forward::primitive_desc(fwd, attr, engine_);
    lp.fwd = dnnl::lbr_gru_forward(lp.fwd_pd);
    scratch = std::max(scratch, lp.fwd_pd.scratchpad_desc().get_size());

    const auto steps = static_cast<std::size_t>(T) * static_cast<std::size_t>(B);
    needed += sizeof(float) * steps * static_cast<std::size_t>(H);  // y
    if (training) {
      dnnl::lbr_gru_backward::desc bwd(dnnl::prop_kind::backward, left2right, src, none, wl, wi,
                                       bias, dst, none, src, none, wl, wi, bias, dst, none);
      lp.bwd_pd = dnnl::lbr_gru_backward::primitive_desc(bwd, attr, engine_, lp.fwd_pd);
      lp.bwd = dnnl::lbr_gru_backward(lp.bwd_pd);
      scratch = std::max(scratch, lp.bwd_pd.scratchpad_desc().get_size());
      needed += lp.fwd_pd.workspace_desc().get_size() + sizeof(float) * steps * static_cast<std::size_t>(H);
      if (l == 0) needed += sizeof(float) * steps * static_cast<std::size_t>(in);  // dx0
    }
    plan->layers.push_back(std::move(lp));
  }
  needed += scratch;
  check_memory_fits(needed, batch);
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    const memory::dim in = layout_.layers[l].input_size;
    LayerState& s = layers_[l];
    s.y.reserve(sizeof(float) * T * B * H);
    if (training) {
      s.workspace.reserve(plan->layers[l].fwd_pd.workspace_desc().get_size());
      s.dy.reserve(sizeof(float) * T * B * H);
      if (l == 0) dx0_.reserve(sizeof(float) * T * B * in);
    }
  }
  scratchpad_.reserve(std::max<std::size_t>(scratch, 64));
  x0_.reserve(sizeof(float) * T * B * model_.input_size);
  const std::size_t a_floats = static_cast<std::size_t>(B) * H;
  head_a_.reserve(sizeof(float) * a_floats);
  if (training && train_.dropout > 0) {
    dropout_scale_.reserve(sizeof(float) * (model_.head == Head::flatten ? T * a_floats : a_floats));
  }
  labels_.resize(std::max<std::size_t>(labels_.size(), B));
  logits_.resize(std::max<std::size_t>(logits_.size(), B * model_.num_classes));
  dlogits_.resize(logits_.size());

  plans_.push_back(std::move(plan));
  return *plans_.back();
}

void CpuTrainer::gather(const RowIndex* rows, int batch) {
  // oneDNN reads the input time-major (T × B × I); rows are step-major (t·I + i).
  const int T = model_.timesteps, I = model_.input_size;
  const float* mean = fold_.standardizer.mean.data();
  const float* inv_std = fold_.standardizer.inv_std.data();
  float* x = x0_.as();
  for (int b = 0; b < batch; ++b) {
    const float* row = data_->row(rows[b]);
    labels_[b] = data_->y[rows[b]];
    for (int t = 0; t < T; ++t) {
      float* out = x + (static_cast<std::size_t>(t) * batch + b) * I;
      const std::size_t f = static_cast<std::size_t>(t) * I;
      for (int i = 0; i < I; ++i) out[i] = (row[f + i] - mean[f + i]) * inv_std[f + i];
    }
  }
}

void CpuTrainer::pack_weights() {
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    LayerState& s = layers_[l];
    pack_gru_layer(params_.data(), layout_.layers[l], model_.hidden_size,
                   {s.weights_layer.data(), s.weights_iter.data(), s.bias.data()});
  }
}

memory CpuTrainer::converted_for(const memory& user, const memory::desc& want) {
  for (Converted& c : converted_) {
    if (c.source == user.get_data_handle() && c.memory.get_desc() == want) return c.memory;
  }
  converted_.push_back({user.get_data_handle(), memory(want, engine_)});
  return converted_.back().memory;
}

memory CpuTrainer::in_format(const memory& user, const memory::desc& want) {
  if (user.get_desc() == want) return user;
  memory converted = converted_for(user, want);
  dnnl::reorder(user, converted).execute(stream_, const_cast<memory&>(user), converted);
  return converted;
}

memory CpuTrainer::scratch_memory(const dnnl::primitive_desc_base& pd) {
  return memory(pd.scratchpad_desc(), engine_, scratchpad_.as<void>());
}

void CpuTrainer::forward(Plan& plan) {
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    LayerPlan& lp = plan.layers[l];
    LayerState& s = layers_[l];
    const float* src = l == 0 ? x0_.as() : layers_[l - 1].y.as();
    std::unordered_map<int, memory> args = {
        {DNNL_ARG_SRC_LAYER, memory(lp.fwd_pd.src_layer_desc(), engine_, const_cast<float*>(src))},
        {DNNL_ARG_WEIGHTS_LAYER, in_format(s.weights_layer_mem, lp.fwd_pd.weights_layer_desc())},
        {DNNL_ARG_WEIGHTS_ITER, in_format(s.weights_iter_mem, lp.fwd_pd.weights_iter_desc())},
        {DNNL_ARG_BIAS, s.bias_mem},
        {DNNL_ARG_DST_LAYER, memory(lp.fwd_pd.dst_layer_desc(), engine_, s.y.as())},
        {DNNL_ARG_SCRATCHPAD, scratch_memory(lp.fwd_pd)}};
    if (plan.training) {
      args.insert({DNNL_ARG_WORKSPACE, memory(lp.fwd_pd.workspace_desc(), engine_, s.workspace.as<void>())});
    }
    lp.fwd.execute(stream_, args);
  }
  stream_.wait();
}

double CpuTrainer::head_loss(const Plan& plan, const float* scale, bool want_gradient) {
  const HeadShape shape = head_shape(plan.batch);
  head_forward(shape, layers_.back().y.as(), scale, params_.data() + layout_.head_w,
               params_.data() + layout_.head_b, head_a_.as(), logits_.data());
  return softmax_cross_entropy(logits_.data(), labels_.data(), plan.batch, model_.num_classes,
                               want_gradient ? dlogits_.data() : nullptr);
}

void CpuTrainer::backward(Plan& plan, const float* scale) {
  const HeadShape shape = head_shape(plan.batch);
  head_backward(shape, layers_.back().y.as(), scale, params_.data() + layout_.head_w,
                head_a_.as(), dlogits_.data(), grad_.data() + layout_.head_w,
                grad_.data() + layout_.head_b, layers_.back().dy.as());

  for (std::size_t l = layers_.size(); l-- > 0;) {
    LayerPlan& lp = plan.layers[l];
    LayerState& s = layers_[l];
    const float* src = l == 0 ? x0_.as() : layers_[l - 1].y.as();
    float* diff_src = l == 0 ? dx0_.as() : layers_[l - 1].dy.as();

    // oneDNN's backward accumulates into the weight gradients.
    auto zeroed = [this](const memory& user, const memory::desc& want) {
      memory m = user.get_desc() == want ? user : converted_for(user, want);
      std::memset(m.get_data_handle(), 0, want.get_size());
      return m;
    };
    memory dwl = zeroed(s.diff_weights_layer_mem, lp.bwd_pd.diff_weights_layer_desc());
    memory dwi = zeroed(s.diff_weights_iter_mem, lp.bwd_pd.diff_weights_iter_desc());
    memory db = zeroed(s.diff_bias_mem, lp.bwd_pd.diff_bias_desc());

    std::unordered_map<int, memory> args = {
        {DNNL_ARG_SRC_LAYER, memory(lp.bwd_pd.src_layer_desc(), engine_, const_cast<float*>(src))},
        {DNNL_ARG_WEIGHTS_LAYER, in_format(s.weights_layer_mem, lp.bwd_pd.weights_layer_desc())},
        {DNNL_ARG_WEIGHTS_ITER, in_format(s.weights_iter_mem, lp.bwd_pd.weights_iter_desc())},
        {DNNL_ARG_BIAS, s.bias_mem},
        {DNNL_ARG_DST_LAYER, memory(lp.bwd_pd.dst_layer_desc(), engine_, s.y.as())},
        {DNNL_ARG_DIFF_DST_LAYER, memory(lp.bwd_pd.diff_dst_layer_desc(), engine_, s.dy.as())},
        {DNNL_ARG_DIFF_SRC_LAYER, memory(lp.bwd_pd.diff_src_layer_desc(), engine_, diff_src)},
        {DNNL_ARG_DIFF_WEIGHTS_LAYER, dwl},
        {DNNL_ARG_DIFF_WEIGHTS_ITER, dwi},
        {DNNL_ARG_DIFF_BIAS, db},
        {DNNL_ARG_WORKSPACE, memory(lp.fwd_pd.workspace_desc(), engine_, s.workspace.as<void>())},
        {DNNL_ARG_SCRATCHPAD, scratch_memory(lp.bwd_pd)}};
    lp.bwd.execute(stream_, args);
    // Back to our ldigo copies when the primitive wrote another format.
    auto to_user = [this](memory& from, memory& user) {
      if (from.get_data_handle() != user.get_data_handle()) {
        dnnl::reorder(from, user).execute(stream_, from, user);
      }
    };
    to_user(dwl, s.diff_weights_layer_mem);
    to_user(dwi, s.diff_weights_iter_mem);
    to_user(db, s.diff_bias_mem);
    stream_.wait();
    unpack_gru_layer_gradient({s.diff_weights_layer.data(), s.diff_weights_iter.data(), s.diff_bias.data()},
                              layout_.layers[l], model_.hidden_size, grad_.data());
  }
}

void CpuTrainer::adam_step() {
  ++adam_t_;
  const float alpha = adam_alpha(train_.learning_rate, adam_t_);
  const float decay = static_cast<float>(train_.weight_decay);
  float* w = params_.data();
  float* m = adam_m_.data();
  float* v = adam_v_.data();
  const float* g = grad_.data();
  for (const Segment& seg : segments_) {
    const float d = seg.matrix ? decay : 0.0f;
    for (std::size_t i = seg.begin; i < seg.end; ++i) adam_update(w[i], m[i], v[i], g[i], alpha, d);
  }
}

double CpuTrainer::train_epoch(int epoch) {
  set_openmp_threads(1);
  const RowList order = epoch_order(fold_.train_rows, train_.seed, epoch);
  const std::size_t n = order.size();
  const std::size_t batch_size = static_cast<std::size_t>(train_.batch_size);
  const float rate = static_cast<float>(train_.dropout);
  double total = 0;
  int k = 0;
  for (std::size_t start = 0; start < n; start += batch_size, ++k) {
    const int batch = static_cast<int>(std::min(batch_size, n - start));
    Plan& plan = plan_for(batch, true);
    gather(order.data() + start, batch);
    pack_weights();
    forward(plan);
    const float* scale = nullptr;
    if (rate > 0) {
      head_dropout_scale(head_shape(batch), dropout_key(train_.seed, epoch, k), rate, dropout_scale_.as());
      scale = dropout_scale_.as();
    }
    const double loss = head_loss(plan, scale, true);
    if (!std::isfinite(loss)) {
      throw TrainingError("non-finite training loss at epoch " + std::to_string(epoch + 1) +
                          ", batch " + std::to_string(k + 1));
    }
    backward(plan, scale);
    adam_step();
    total += loss * batch;
  }
  return n ? total / static_cast<double>(n) : 0.0;
}

Evaluation CpuTrainer::evaluate(const RowList& rows) {
  set_openmp_threads(1);
  check_rows(rows, *data_, "evaluation");
  Evaluation result;
  result.confusion = ConfusionMatrix(model_.num_classes);
  const std::size_t n = rows.size();
  const std::size_t chunk = static_cast<std::size_t>(train_.batch_size);
  const int C = model_.num_classes;
  pack_weights();
  double total = 0;
  result.logits.reserve(n * static_cast<std::size_t>(C));
  for (std::size_t start = 0; start < n; start += chunk) {
    const int batch = static_cast<int>(std::min(chunk, n - start));
    Plan& plan = plan_for(batch, false);
    gather(rows.data() + start, batch);
    forward(plan);
    total += head_loss(plan, nullptr, false) * batch;
    for (int b = 0; b < batch; ++b) {
      const float* z = logits_.data() + static_cast<std::size_t>(b) * C;
      const int predicted = static_cast<int>(std::max_element(z, z + C) - z);
      result.confusion.add(labels_[b], predicted);
      result.logits.insert(result.logits.end(), z, z + C);
    }
  }
  result.loss = n ? total / static_cast<double>(n) : 0.0;
  return result;
}

ModelWeights CpuTrainer::weights() const { return ModelWeights{params_}; }

void CpuTrainer::set_weights(const ModelWeights& weights) {
  if (weights.values.size() != params_.size()) {
    throw std::invalid_argument("cpu trainer: set_weights got " + std::to_string(weights.values.size()) +
                                " values, the model has " + std::to_string(params_.size()));
  }
  params_ = weights.values;
}

double CpuTrainer::loss_and_gradient(const RowList& batch_rows, std::vector<float>& gradient) {
  set_openmp_threads(1);
  check_rows(batch_rows, *data_, "gradient");
  if (batch_rows.empty()) throw std::invalid_argument("cpu trainer: loss_and_gradient of an empty batch");
  const int batch = static_cast<int>(batch_rows.size());
  Plan& plan = plan_for(batch, true);
  gather(batch_rows.data(), batch);
  pack_weights();
  forward(plan);
  const double loss = head_loss(plan, nullptr, true);
  backward(plan, nullptr);
  gradient = grad_;
  return loss;
}

std::string CpuTrainer::describe() const {
  const dnnl_version_t* v = dnnl::version();
  return "oneDNN " + std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
         std::to_string(v->patch) + " lbr_gru, isa " + isa_name(dnnl::get_effective_cpu_isa()) +
         ", 1 thread";
}

}  // namespace eegsweep

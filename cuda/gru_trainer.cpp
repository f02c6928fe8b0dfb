// The cuDNN GRU trainer. One training step on a padded batch of B rows:
//   gather + standardize (kernel) → cudnnRNNForward(TRAINING) → head input (+dropout, kernel)
//   → logits = a·Wdᵀ (cuBLAS) → softmax cross-entropy (kernel; loss summed on the device)
//   → dWd, dbd, da (cuBLAS, kernel) → dy (kernel) → cudnnRNNBackwardData_v8
//   → cudnnRNNBackwardWeights_v8 (ADD into a zeroed gradient space) → gather into our layout
//   → Adam (kernel; also writes the new GRU weights into cuDNN's weight space).
// Nothing comes back to the host per batch; the epoch's loss sum is read once at its end.
#include "cuda/gru_trainer.h"

#include <algorithm>
#include <cstring>
#include <sstream>
#include <stdexcept>

#include "cuda/failures.h"
#include "cuda/kernels.h"
#include "engine/model/training_rules.h"

namespace eegsweep::cuda {
namespace {

// cuDNN writes this into the padding positions of y (there are none: every sequence is full).
const float padding_fill = 0.0f;

cudnnMathType_t rnn_math(bool tf32) { return tf32 ? CUDNN_DEFAULT_MATH : CUDNN_FMA_MATH; }

cudnnRNNAlgo_t to_cudnn(RnnAlgorithm algorithm) {
  switch (algorithm) {
    case RnnAlgorithm::standard: return CUDNN_RNN_ALGO_STANDARD;
    case RnnAlgorithm::persist_static_small_h: return CUDNN_RNN_ALGO_PERSIST_STATIC_SMALL_H;
  }
  return CUDNN_RNN_ALGO_STANDARD;
}

void configure_rnn(RnnSetup& s, const ModelConfig& model, bool tf32, RnnAlgorithm algorithm) {
  EEGSWEEP_CUDNN_CHECK(cudnnSetRNNDescriptor_v8(
      s.rnn.get(), to_cudnn(algorithm), CUDNN_GRU, CUDNN_RNN_DOUBLE_BIAS, CUDNN_UNIDIRECTIONAL,
      CUDNN_LINEAR_INPUT, CUDNN_DATA_FLOAT, CUDNN_DATA_FLOAT, rnn_math(tf32), model.input_size,
      model.hidden_size, /*projSize=*/model.hidden_size, model.num_layers, s.dropout.get(),
      CUDNN_RNN_PADDED_IO_ENABLED));
}

// Weight space, training workspace and reserve, and inference workspace of the current setting.
CudnnSizes query_sizes(RnnSetup& s) {
  CudnnSizes sizes;
  EEGSWEEP_CUDNN_CHECK(cudnnGetRNNWeightSpaceSize(s.cudnn(), s.rnn.get(), &sizes.weight_space));
  EEGSWEEP_CUDNN_CHECK(cudnnGetRNNTempSpaceSizes(s.cudnn(), s.rnn.get(), CUDNN_FWD_MODE_TRAINING,
                                                 s.x_desc.get(), &sizes.workspace, &sizes.reserve));
  std::size_t inference_workspace = 0, inference_reserve = 0;
  EEGSWEEP_CUDNN_CHECK(cudnnGetRNNTempSpaceSizes(s.cudnn(), s.rnn.get(),
                                                 CUDNN_FWD_MODE_INFERENCE, s.x_desc.get(),
                                                 &inference_workspace, &inference_reserve));
  sizes.workspace = std::max(sizes.workspace, inference_workspace);
  return sizes;
}

std::int64_t elements_of(cudnnTensorDescriptor_t desc) {
  cudnnDataType_t type{};
  int dims[8] = {0}, strides[8] = {0}, rank = 0;
  EEGSWEEP_CUDNN_CHECK(cudnnGetTensorNdDescriptor(desc, 8, &type, &rank, dims, strides));
  std::int64_t n = 1;
  for (int i = 0; i < rank; ++i) n *= dims[i];
  return n;
}

// Row indices come from the caller: a wrong one would read past the dataset on the device.
void check_rows(const RowList& rows, std::size_t dataset_rows, const char* what) {
  for (RowIndex r : rows) {
    if (r >= dataset_rows) {
      throw std::out_of_range(std::string("cuDNN trainer: ") + what + " row " + std::to_string(r) +
                              " beyond the dataset's " + std::to_string(dataset_rows) + " rows");
    }
  }
}

}  // namespace

std::string rnn_shape_key(const DeviceInfo& device, const ModelConfig& model, int batch, bool tf32) {
  std::ostringstream key;
  key << "sm" << device.compute_major << device.compute_minor << " in" << model.input_size << " h"
      << model.hidden_size << " l" << model.num_layers << " t" << model.timesteps << " b" << batch
      << (tf32 ? " tf32" : " fp32");
  return key.str();
}

RnnSetup make_rnn_setup(HandleLease handles, const DeviceInfo& device, const ModelConfig& model,
                        int batch, bool tf32, const std::vector<RnnAlgorithm>& candidates,
                        bool algorithm_known) {
  DeviceScope scope(device.index);
  RnnSetup s;
  s.device = device.index;
  s.batch = batch;
  s.handles = std::move(handles);
  // Strict FP32 unless TF32 is asked for (CUBLAS_DEFAULT_MATH never uses TF32 tensor cores).
  // Set for every trainer: the pooled handle may come from a trainer with the other setting.
  EEGSWEEP_CUBLAS_CHECK(
      cublasSetMathMode(s.cublas(), tf32 ? CUBLAS_TF32_TENSOR_OP_MATH : CUBLAS_DEFAULT_MATH));

  // No dropout inside cuDNN (ours is on the head's input): a descriptor with rate 0, no states.
  s.dropout = DropoutDescriptor::create();
  EEGSWEEP_CUDNN_CHECK(cudnnSetDropoutDescriptor(s.dropout.get(), s.cudnn(), 0.0f, nullptr, 0, 0));
  s.rnn = RnnDescriptor::create();

  const std::vector<int> lengths(static_cast<std::size_t>(batch), model.timesteps);
  s.x_desc = RnnDataDescriptor::create();
  EEGSWEEP_CUDNN_CHECK(cudnnSetRNNDataDescriptor(
      s.x_desc.get(), CUDNN_DATA_FLOAT, CUDNN_RNN_DATA_LAYOUT_BATCH_MAJOR_UNPACKED, model.timesteps,
      batch, model.input_size, lengths.data(), const_cast<float*>(&padding_fill)));
  s.y_desc = RnnDataDescriptor::create();
  EEGSWEEP_CUDNN_CHECK(cudnnSetRNNDataDescriptor(
      s.y_desc.get(), CUDNN_DATA_FLOAT, CUDNN_RNN_DATA_LAYOUT_BATCH_MAJOR_UNPACKED, model.timesteps,
      batch, model.hidden_size, lengths.data(), const_cast<float*>(&padding_fill)));
  s.h_desc = TensorDescriptor::create();
  const int h_dims[3] = {model.num_layers, batch, model.hidden_size};
  const int h_strides[3] = {batch * model.hidden_size, model.hidden_size, 1};
  EEGSWEEP_CUDNN_CHECK(cudnnSetTensorNdDescriptor(s.h_desc.get(), CUDNN_DATA_FLOAT, 3, h_dims, h_strides));

  // Keep the candidates whose descriptor and size queries cuDNN accepts; size for the largest.
  std::string refusals;
  for (RnnAlgorithm algorithm : candidates) {
    try {
      configure_rnn(s, model, tf32, algorithm);
      const CudnnSizes sizes = query_sizes(s);
      s.sizes.weight_space = std::max(s.sizes.weight_space, sizes.weight_space);
      s.sizes.workspace = std::max(s.sizes.workspace, sizes.workspace);
      s.sizes.reserve = std::max(s.sizes.reserve, sizes.reserve);
      s.candidates.push_back(algorithm);
    } catch (const CudnnError& e) {
      // NOT_SUPPORTED or BAD_PARAM for this shape (e.g. sizes beyond cuDNN's 32-bit indexing):
      // the model's fault, reported as a failed trial once every candidate has refused. Any
      // other status (a broken installation, our bug) is no refusal and propagates.
      if (classify_cudnn_status(e.status()) != CudnnFailure::refusal) throw;
      refusals += std::string(" ") + algorithm_name(algorithm) + ": " + e.what() + ";";
    }
  }
  if (s.candidates.empty()) {
    throw TrainingError("cuDNN supports no GRU algorithm for input " +
                        std::to_string(model.input_size) + ", hidden " +
                        std::to_string(model.hidden_size) + ", batch " + std::to_string(batch) +
                        ":" + refusals);
  }
  s.algorithm_known = algorithm_known && s.candidates.size() == 1;
  return s;
}

CudnnTrainer::CudnnTrainer(std::shared_ptr<BackendState> state, RnnSetup setup,
                           std::shared_ptr<const DeviceDataset> data, const ModelConfig& model,
                           const TrainConfig& train, const FoldData& fold,
                           const std::string& shape_key)
    : state_(std::move(state)),
      setup_(std::move(setup)),
      data_(std::move(data)),
      model_(model),
      train_(train),
      train_rows_(fold.train_rows),
      layout_(model) {
  current_device();
  const auto b = static_cast<std::size_t>(setup_.batch);
  const auto t = static_cast<std::size_t>(model_.timesteps);
  const auto h = static_cast<std::size_t>(model_.hidden_size);
  const auto c = static_cast<std::size_t>(model_.num_classes);
  const auto d = static_cast<std::size_t>(model_.head_inputs());
  const auto features = data_->features;
  if (fold.standardizer.mean.size() != features || fold.standardizer.inv_std.size() != features) {
    throw std::invalid_argument("cuDNN trainer: the fold's standardizer has " +
                                std::to_string(fold.standardizer.mean.size()) +
                                " features, the dataset " + std::to_string(features));
  }

  d_params_ = buffer<float>(layout_.total);
  d_grad_ = buffer<float>(layout_.total);
  d_adam_m_ = buffer<float>(layout_.total);
  d_adam_v_ = buffer<float>(layout_.total);
  d_map_ = buffer<std::int64_t>(layout_.head_w);
  d_decay_mask_ = buffer<std::uint8_t>(layout_.total);
  d_weight_space_ = buffer<float>((setup_.sizes.weight_space + sizeof(float) - 1) / sizeof(float));
  d_dweight_space_ = buffer<float>(d_weight_space_.size());
  d_workspace_ = buffer<unsigned char>(setup_.sizes.workspace);
  d_reserve_ = buffer<unsigned char>(setup_.sizes.reserve);
  d_x_ = buffer<float>(b * features);
  d_dx_ = buffer<float>(b * features);
  d_y_ = buffer<float>(b * t * h);
  d_dy_ = buffer<float>(b * t * h);
  if (needs_head_buffer(model_.head, train_.dropout)) d_head_in_ = buffer<float>(b * d);
  if (model_.head != Head::flatten) d_head_grad_ = buffer<float>(b * d);
  d_logits_ = buffer<float>(b * c);
  d_dlogits_ = buffer<float>(b * c);
  d_losses_ = buffer<float>(b);
  d_labels_ = buffer<int>(b);
  d_predictions_ = buffer<int>(b);
  d_seq_lengths_ = buffer<std::int32_t>(b);
  d_train_rows_ = buffer<std::uint32_t>(std::max(train_rows_.size(), b));
  d_rows_ = buffer<std::uint32_t>(std::max(data_->rows, b));
  d_mean_ = buffer<float>(features);
  d_inv_std_ = buffer<float>(features);
  d_loss_sum_ = buffer<double>(1);
  d_confusion_ = buffer<unsigned long long>(c * c);

  cudaStream_t stream = setup_.stream();
  fill_int(d_seq_lengths_.data(), b, model_.timesteps, stream);
  EEGSWEEP_CUDA_CHECK(cudaMemcpyAsync(d_mean_.data(), fold.standardizer.mean.data(),
                                      features * sizeof(float), cudaMemcpyHostToDevice, stream));
  EEGSWEEP_CUDA_CHECK(cudaMemcpyAsync(d_inv_std_.data(), fold.standardizer.inv_std.data(),
                                      features * sizeof(float), cudaMemcpyHostToDevice, stream));
  // Zeroed so that the probe (and any padding cuDNN might read) sees finite numbers.
  EEGSWEEP_CUDA_CHECK(cudaMemsetAsync(d_x_.data(), 0, d_x_.bytes(), stream));
  EEGSWEEP_CUDA_CHECK(cudaMemsetAsync(d_dy_.data(), 0, d_dy_.bytes(), stream));
  EEGSWEEP_CUDA_CHECK(cudaMemsetAsync(d_weight_space_.data(), 0, d_weight_space_.bytes(), stream));
  EEGSWEEP_CUDA_CHECK(cudaMemsetAsync(d_adam_m_.data(), 0, d_adam_m_.bytes(), stream));
  EEGSWEEP_CUDA_CHECK(cudaMemsetAsync(d_adam_v_.data(), 0, d_adam_v_.bytes(), stream));

  choose_algorithm(shape_key);
  build_weight_map();

  const std::vector<std::uint8_t> mask = decay_mask(layout_);
  EEGSWEEP_CUDA_CHECK(cudaMemcpyAsync(d_decay_mask_.data(), mask.data(), mask.size(),
                                      cudaMemcpyHostToDevice, stream));
  set_weights(init_weights(model_, train_.seed));  // synchronises: the host vectors may go
}

CudnnTrainer::~CudnnTrainer() {
  // Buffers are given back to the pool on this device, in the order of this trainer's stream
  // (no device-wide synchronisation); the handle set goes back to its pool after that stream
  // has drained (HandleLease).
  (void)cudaSetDevice(setup_.device);
}

void CudnnTrainer::current_device() const { EEGSWEEP_CUDA_CHECK(cudaSetDevice(setup_.device)); }

void CudnnTrainer::synchronize() const {
  EEGSWEEP_CUDA_CHECK(cudaStreamSynchronize(setup_.stream()));
}

void CudnnTrainer::set_algorithm(RnnAlgorithm algorithm) {
  configure_rnn(setup_, model_, train_.tf32, algorithm);
  algorithm_ = algorithm;
  // Every call gets the exact size cuDNN states for this setting, not the (larger) buffer.
  chosen_sizes_ = query_sizes(setup_);
  weight_space_bytes_ = chosen_sizes_.weight_space;
  if (weight_space_bytes_ > d_weight_space_.bytes()) {
    throw std::logic_error(std::string("cuDNN weight space of ") + algorithm_name(algorithm) +
                           " is larger than its size query said");
  }
}

void CudnnTrainer::choose_algorithm(const std::string& shape_key) {
  if (setup_.algorithm_known) {
    set_algorithm(setup_.candidates.front());
    return;
  }
  std::string refusals;
  for (RnnAlgorithm algorithm : setup_.candidates) {
    try {
      set_algorithm(algorithm);
      probe_algorithm();
      return;
    } catch (const CudnnError& e) {
      // A persistent kernel may refuse a shape only when it runs; STANDARD must work.
      if (algorithm == RnnAlgorithm::standard ||
          classify_cudnn_status(e.status()) != CudnnFailure::refusal) {
        throw;
      }
      refusals += std::string(" ") + algorithm_name(algorithm) + ": " + e.what() + ";";
    }
  }
  throw TrainingError("cuDNN ran no GRU algorithm for " + shape_key + ":" + refusals);
}

// One forward/backward on zeros with the algorithm just set, synchronised so that a refusal
// surfaces here and not in the middle of training.
void CudnnTrainer::probe_algorithm() {
  cudnnHandle_t cudnn = setup_.cudnn();
  cudnnRNNDescriptor_t rnn = setup_.rnn.get();
  EEGSWEEP_CUDNN_CHECK(cudnnRNNForward(
      cudnn, rnn, CUDNN_FWD_MODE_TRAINING, d_seq_lengths_.data(), setup_.x_desc.get(), d_x_.data(),
      setup_.y_desc.get(), d_y_.data(), setup_.h_desc.get(), nullptr, nullptr, setup_.h_desc.get(),
      nullptr, nullptr, weight_space_bytes_, d_weight_space_.data(), d_workspace_.bytes(),
      d_workspace_.data(), d_reserve_.bytes(), d_reserve_.data()));
  EEGSWEEP_CUDNN_CHECK(cudnnRNNBackwardData_v8(
      cudnn, rnn, d_seq_lengths_.data(), setup_.y_desc.get(), d_y_.data(), d_dy_.data(),
      setup_.x_desc.get(), d_dx_.data(), setup_.h_desc.get(), nullptr, nullptr, nullptr,
      setup_.h_desc.get(), nullptr, nullptr, nullptr, weight_space_bytes_,
      d_weight_space_.data(), d_workspace_.bytes(), d_workspace_.data(), d_reserve_.bytes(),
      d_reserve_.data()));
  EEGSWEEP_CUDA_CHECK(
      cudaMemsetAsync(d_dweight_space_.data(), 0, d_dweight_space_.bytes(), setup_.stream()));
  EEGSWEEP_CUDNN_CHECK(cudnnRNNBackwardWeights_v8(
      cudnn, rnn, CUDNN_WGRAD_MODE_ADD, d_seq_lengths_.data(), setup_.x_desc.get(), d_x_.data(),
      setup_.h_desc.get(), nullptr, setup_.y_desc.get(), d_y_.data(), weight_space_bytes_,
      d_dweight_space_.data(), d_workspace_.bytes(), d_workspace_.data(), d_reserve_.bytes(),
      d_reserve_.data()));
  EEGSWEEP_CUDNN_CHECK(cudnnRNNForward(
      cudnn, rnn, CUDNN_FWD_MODE_INFERENCE, d_seq_lengths_.data(), setup_.x_desc.get(), d_x_.data(),
      setup_.y_desc.get(), d_y_.data(), setup_.h_desc.get(), nullptr, nullptr, setup_.h_desc.get(),
      nullptr, nullptr, weight_space_bytes_, d_weight_space_.data(), d_workspace_.bytes(),
      d_workspace_.data(), 0, nullptr));
  synchronize();
}

// Asks cuDNN where each matrix and bias lives (never assuming offsets) and uploads the map
// from our flat layout to those places.
void CudnnTrainer::build_weight_map() {
  TensorDescriptor m_desc = TensorDescriptor::create();
  TensorDescriptor b_desc = TensorDescriptor::create();
  std::vector<CudnnBlock> blocks;
  const auto* base = reinterpret_cast<const char*>(d_weight_space_.data());
  for (int layer = 0; layer < model_.num_layers; ++layer) {
    for (int lin = 0; lin < gru_linear_layers; ++lin) {
      void* m_addr = nullptr;
      void* b_addr = nullptr;
      EEGSWEEP_CUDNN_CHECK(cudnnGetRNNWeightParams(
          setup_.cudnn(), setup_.rnn.get(), layer, weight_space_bytes_,
          d_weight_space_.data(), lin, m_desc.get(), &m_addr, b_desc.get(), &b_addr));
      CudnnBlock block;
      if (m_addr) {
        block.matrix = (static_cast<const char*>(m_addr) - base) / static_cast<std::int64_t>(sizeof(float));
        block.matrix_elements = elements_of(m_desc.get());
      }
      if (b_addr) {
        block.bias = (static_cast<const char*>(b_addr) - base) / static_cast<std::int64_t>(sizeof(float));
        block.bias_elements = elements_of(b_desc.get());
      }
      blocks.push_back(block);
    }
  }
  const std::vector<std::int64_t> map =
      weight_index_map(layout_, blocks, static_cast<std::int64_t>(weight_space_bytes_ / sizeof(float)));
  EEGSWEEP_CUDA_CHECK(cudaMemcpyAsync(d_map_.data(), map.data(), map.size() * sizeof(std::int64_t),
                                      cudaMemcpyHostToDevice, setup_.stream()));
  synchronize();  // `map` is a local
}

void CudnnTrainer::upload_rows(const RowList& rows, DeviceBuffer<std::uint32_t>& target) {
  // A larger list replaces the buffer; the old one is freed in stream order, after the work
  // queued on it.
  if (rows.size() > target.size()) target = buffer<std::uint32_t>(rows.size());
  if (rows.empty()) return;
  EEGSWEEP_CUDA_CHECK(cudaMemcpyAsync(target.data(), rows.data(), rows.size() * sizeof(std::uint32_t),
                                      cudaMemcpyHostToDevice, setup_.stream()));
}

void CudnnTrainer::zero_gradients() {
  cudaStream_t stream = setup_.stream();
  // cuDNN only adds weight gradients (CUDNN_WGRAD_MODE_ADD); the head's GEMM adds too (beta 1).
  EEGSWEEP_CUDA_CHECK(cudaMemsetAsync(d_dweight_space_.data(), 0, d_dweight_space_.bytes(), stream));
  EEGSWEEP_CUDA_CHECK(cudaMemsetAsync(d_grad_.data() + layout_.head_w, 0,
                                      (layout_.total - layout_.head_w) * sizeof(float), stream));
}

void CudnnTrainer::run_chunk(const std::uint32_t* rows, int n, Pass pass, std::uint64_t dropout_key,
                             float dropout_rate, float grad_scale) {
  cudaStream_t stream = setup_.stream();
  cudnnHandle_t cudnn = setup_.cudnn();
  cublasHandle_t cublas = setup_.cublas();
  cudnnRNNDescriptor_t rnn = setup_.rnn.get();
  const int b = setup_.batch;
  const int t = model_.timesteps;
  const int h = model_.hidden_size;
  const int c = model_.num_classes;
  const int d = model_.head_inputs();
  const bool training = pass == Pass::train;
  const float one = 1.0f, zero = 0.0f;
  const float* wd = d_params_.data() + layout_.head_w;
  const float* bd = d_params_.data() + layout_.head_b;

  launch_gather_batch(data_->x.data(), data_->y.data(), data_->features, rows, n, b, d_mean_.data(),
                      d_inv_std_.data(), d_x_.data(), d_labels_.data(), stream);
  EEGSWEEP_CUDNN_CHECK(cudnnRNNForward(
      cudnn, rnn, training ? CUDNN_FWD_MODE_TRAINING : CUDNN_FWD_MODE_INFERENCE,
      d_seq_lengths_.data(), setup_.x_desc.get(), d_x_.data(), setup_.y_desc.get(), d_y_.data(),
      setup_.h_desc.get(), nullptr, nullptr, setup_.h_desc.get(), nullptr, nullptr,
      weight_space_bytes_, d_weight_space_.data(), d_workspace_.bytes(), d_workspace_.data(),
      training ? d_reserve_.bytes() : 0, training ? d_reserve_.data() : nullptr));

  const float rate = training ? dropout_rate : 0.0f;
  const float* a = d_y_.data();  // flatten without dropout reads y as it is
  if (model_.head != Head::flatten || rate > 0.0f) {
    launch_head_input(d_y_.data(), b, t, h, model_.head, dropout_key, rate, d_head_in_.data(), stream);
    a = d_head_in_.data();
  }
  // logits[B, C] = a[B, D] · Wd[C, D]ᵀ; column-major: logitsᵀ (C×B) = op(Wd as D×C)ᵀ · (a as D×B).
  EEGSWEEP_CUBLAS_CHECK(cublasSgemm(cublas, CUBLAS_OP_T, CUBLAS_OP_N, c, b, d, &one, wd, d, a, d,
                                    &zero, d_logits_.data(), c));
  launch_softmax_cross_entropy(d_logits_.data(), bd, d_labels_.data(), b, c, grad_scale,
                               d_losses_.data(), training ? nullptr : d_predictions_.data(),
                               training ? d_dlogits_.data() : nullptr, stream);
  launch_accumulate_loss(d_losses_.data(), b, d_loss_sum_.data(), stream);
  if (!training) {
    launch_confusion(d_labels_.data(), d_predictions_.data(), b, c, d_confusion_.data(), stream);
    return;
  }

  // dWd[C, D] += dlogitsᵀ · a; column-major: (dWd as D×C) += (a as D×B) · (dlogits as C×B)ᵀ.
  float* grad_wd = d_grad_.data() + layout_.head_w;
  float* grad_bd = d_grad_.data() + layout_.head_b;
  EEGSWEEP_CUBLAS_CHECK(cublasSgemm(cublas, CUBLAS_OP_N, CUBLAS_OP_T, d, c, b, &one, a, d,
                                    d_dlogits_.data(), c, &one, grad_wd, d));
  launch_bias_gradient(d_dlogits_.data(), b, c, grad_bd, stream);
  // da[B, D] = dlogits · Wd; column-major: (da as D×B) = (Wd as D×C) · (dlogits as C×B).
  // The flatten head's da has y's layout, so it is written straight into dy.
  float* da = model_.head == Head::flatten ? d_dy_.data() : d_head_grad_.data();
  EEGSWEEP_CUBLAS_CHECK(cublasSgemm(cublas, CUBLAS_OP_N, CUBLAS_OP_N, d, b, c, &one, wd, d,
                                    d_dlogits_.data(), c, &zero, da, d));
  if (model_.head != Head::flatten || rate > 0.0f) {
    launch_head_backward(da, b, t, h, model_.head, dropout_key, rate, d_dy_.data(), stream);
  }

  // Backward data first: it updates the reserve space that backward weights then reads.
  EEGSWEEP_CUDNN_CHECK(cudnnRNNBackwardData_v8(
      cudnn, rnn, d_seq_lengths_.data(), setup_.y_desc.get(), d_y_.data(), d_dy_.data(),
      setup_.x_desc.get(), d_dx_.data(), setup_.h_desc.get(), nullptr, nullptr, nullptr,
      setup_.h_desc.get(), nullptr, nullptr, nullptr, weight_space_bytes_,
      d_weight_space_.data(), d_workspace_.bytes(), d_workspace_.data(), d_reserve_.bytes(),
      d_reserve_.data()));
  EEGSWEEP_CUDNN_CHECK(cudnnRNNBackwardWeights_v8(
      cudnn, rnn, CUDNN_WGRAD_MODE_ADD, d_seq_lengths_.data(), setup_.x_desc.get(), d_x_.data(),
      setup_.h_desc.get(), nullptr, setup_.y_desc.get(), d_y_.data(), weight_space_bytes_,
      d_dweight_space_.data(), d_workspace_.bytes(), d_workspace_.data(), d_reserve_.bytes(),
      d_reserve_.data()));
}

void CudnnTrainer::finish_gradient() {
  launch_gather_from_weight_space(d_dweight_space_.data(), d_map_.data(), layout_.head_w,
                                  d_grad_.data(), setup_.stream());
}

double CudnnTrainer::train_epoch(int epoch) {
  current_device();
  cudaStream_t stream = setup_.stream();
  const int b = setup_.batch;
  order_ = epoch_order(train_rows_, train_.seed, epoch);
  upload_rows(order_, d_train_rows_);
  EEGSWEEP_CUDA_CHECK(cudaMemsetAsync(d_loss_sum_.data(), 0, sizeof(double), stream));
  const auto rate = static_cast<float>(train_.dropout);
  const std::size_t total = order_.size();
  int batch_index = 0;
  for (std::size_t start = 0; start < total; start += static_cast<std::size_t>(b), ++batch_index) {
    const int n = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(b), total - start));
    zero_gradients();
    run_chunk(d_train_rows_.data() + start, n, Pass::train,
              dropout_key(train_.seed, epoch, batch_index), rate, 1.0f / static_cast<float>(n));
    finish_gradient();
    ++step_;
    launch_adam(d_params_.data(), d_adam_m_.data(), d_adam_v_.data(), d_grad_.data(),
                d_decay_mask_.data(), layout_.total, adam_alpha(train_.learning_rate, step_),
                static_cast<float>(train_.weight_decay), d_map_.data(), layout_.head_w,
                d_weight_space_.data(), stream);
  }
  double sum = 0;
  EEGSWEEP_CUDA_CHECK(cudaMemcpyAsync(&sum, d_loss_sum_.data(), sizeof(double), cudaMemcpyDeviceToHost, stream));
  synchronize();
  return total == 0 ? 0.0 : sum / static_cast<double>(total);
}

Evaluation CudnnTrainer::evaluate(const RowList& rows) {
  current_device();
  cudaStream_t stream = setup_.stream();
  const int c = model_.num_classes;
  check_rows(rows, data_->rows, "evaluation");
  upload_rows(rows, d_rows_);
  EEGSWEEP_CUDA_CHECK(cudaMemsetAsync(d_loss_sum_.data(), 0, sizeof(double), stream));
  EEGSWEEP_CUDA_CHECK(cudaMemsetAsync(d_confusion_.data(), 0, d_confusion_.bytes(), stream));
  const auto b = static_cast<std::size_t>(setup_.batch);
  for (std::size_t start = 0; start < rows.size(); start += b) {
    const int n = static_cast<int>(std::min(b, rows.size() - start));
    run_chunk(d_rows_.data() + start, n, Pass::evaluate, 0, 0.0f, 0.0f);
  }
  double sum = 0;
  std::vector<unsigned long long> counts(static_cast<std::size_t>(c) * c);
  EEGSWEEP_CUDA_CHECK(cudaMemcpyAsync(&sum, d_loss_sum_.data(), sizeof(double), cudaMemcpyDeviceToHost, stream));
  EEGSWEEP_CUDA_CHECK(cudaMemcpyAsync(counts.data(), d_confusion_.data(), d_confusion_.bytes(),
                                      cudaMemcpyDeviceToHost, stream));
  synchronize();
  Evaluation result;
  result.loss = rows.empty() ? 0.0 : sum / static_cast<double>(rows.size());
  result.confusion = ConfusionMatrix(c);
  for (std::size_t i = 0; i < counts.size(); ++i) {
    result.confusion.counts[i] = static_cast<std::int64_t>(counts[i]);
  }
  return result;
}

ModelWeights CudnnTrainer::weights() const {
  current_device();
  ModelWeights w;
  w.values.resize(layout_.total);
  EEGSWEEP_CUDA_CHECK(cudaMemcpyAsync(w.values.data(), d_params_.data(), d_params_.bytes(),
                                      cudaMemcpyDeviceToHost, setup_.stream()));
  synchronize();
  return w;
}

void CudnnTrainer::set_weights(const ModelWeights& weights) {
  current_device();
  if (weights.values.size() != layout_.total) {
    throw std::invalid_argument("set_weights: " + std::to_string(weights.values.size()) +
                                " values, the model has " + std::to_string(layout_.total));
  }
  cudaStream_t stream = setup_.stream();
  EEGSWEEP_CUDA_CHECK(cudaMemcpyAsync(d_params_.data(), weights.values.data(), d_params_.bytes(),
                                      cudaMemcpyHostToDevice, stream));
  launch_scatter_to_weight_space(d_params_.data(), d_map_.data(), layout_.head_w,
                                 d_weight_space_.data(), stream);
  synchronize();
}

double CudnnTrainer::loss_and_gradient(const RowList& batch, std::vector<float>& gradient) {
  current_device();
  cudaStream_t stream = setup_.stream();
  check_rows(batch, data_->rows, "gradient");
  if (batch.empty()) throw std::invalid_argument("cuDNN trainer: loss_and_gradient of an empty batch");
  upload_rows(batch, d_rows_);
  EEGSWEEP_CUDA_CHECK(cudaMemsetAsync(d_loss_sum_.data(), 0, sizeof(double), stream));
  zero_gradients();
  // A batch larger than B runs in chunks: cuDNN and the head GEMM add their gradients up, and
  // every chunk scales by 1/|batch|, so the result is the gradient of the mean over the batch.
  const auto b = static_cast<std::size_t>(setup_.batch);
  const float scale = 1.0f / static_cast<float>(batch.size());
  for (std::size_t start = 0; start < batch.size(); start += b) {
    const int n = static_cast<int>(std::min(b, batch.size() - start));
    run_chunk(d_rows_.data() + start, n, Pass::train, 0, 0.0f, scale);
  }
  finish_gradient();
  double sum = 0;
  gradient.resize(layout_.total);
  EEGSWEEP_CUDA_CHECK(cudaMemcpyAsync(&sum, d_loss_sum_.data(), sizeof(double), cudaMemcpyDeviceToHost, stream));
  EEGSWEEP_CUDA_CHECK(cudaMemcpyAsync(gradient.data(), d_grad_.data(), d_grad_.bytes(),
                                      cudaMemcpyDeviceToHost, stream));
  synchronize();
  return sum / static_cast<double>(batch.size());
}

std::string CudnnTrainer::describe() const {
  std::ostringstream text;
  // Sizes of the chosen algorithm, in bytes (the buffers may be larger: they were sized for
  // the largest candidate before the probe).
  text << "cuDNN " << format_cudnn_version(cudnnGetVersion())
       << " GRU algo=" << algorithm_name(algorithm_)
       << " math=" << (train_.tf32 ? "tf32" : "fp32-strict") << " device=cuda:" << setup_.device
       << " batch=" << setup_.batch << " weight_space=" << chosen_sizes_.weight_space
       << " workspace=" << chosen_sizes_.workspace << " reserve=" << chosen_sizes_.reserve;
  return text.str();
}

}  // namespace eegsweep::cuda

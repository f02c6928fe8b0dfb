#pragma once
// One (trial, fold) on one GPU: its own stream, cuDNN and cuBLAS handles while it lives (lent
// from the device's pool: a handle shared across streams would make results depend on what else
// runs), its own weights, Adam state and buffers (stream-ordered, from the device's memory
// pool); the dataset is the backend's, resident on the device.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cuda/backend_state.h"
#include "cuda/planning.h"
#include "cuda/raii.h"
#include "engine/model/backend.h"

namespace eegsweep::cuda {

// The cuDNN description of a trainer's GRU, built before admission because its sizes are part
// of the memory estimate. Until an algorithm has been chosen for this shape, `candidates` holds
// every algorithm that survived the size queries and `sizes` the largest of their sizes.
struct RnnSetup {
  int device = 0;
  int batch = 0;
  HandleLease handles;  // stream, cuDNN and cuBLAS handles lent from the device's pool
  DropoutDescriptor dropout;
  RnnDescriptor rnn;
  RnnDataDescriptor x_desc;
  RnnDataDescriptor y_desc;
  TensorDescriptor h_desc;
  std::vector<RnnAlgorithm> candidates;
  bool algorithm_known = false;  // from the cache: no probe needed
  CudnnSizes sizes;

  cudaStream_t stream() const { return handles->stream.get(); }
  cudnnHandle_t cudnn() const { return handles->cudnn.get(); }
  cublasHandle_t cublas() const { return handles->cublas.get(); }
};

// Key of the algorithm cache: what can make cuDNN accept or refuse an algorithm.
std::string rnn_shape_key(const DeviceInfo& device, const ModelConfig& model, int batch, bool tf32);

// Describes the GRU on `handles` and keeps the candidates whose size queries cuDNN accepts.
// Throws TrainingError when cuDNN refuses every candidate (failures.h: a refusal); any other
// cuDNN failure propagates as what it is.
RnnSetup make_rnn_setup(HandleLease handles, const DeviceInfo& device, const ModelConfig& model,
                        int batch, bool tf32, const std::vector<RnnAlgorithm>& candidates,
                        bool algorithm_known);

// Calls release() on destruction once armed; the first member of a trainer, so it runs after
// every buffer of the trainer has been freed.
class AdmissionTicket {
 public:
  AdmissionTicket() = default;
  ~AdmissionTicket() {
    if (state_) state_->gate(device_).release();
  }
  AdmissionTicket(const AdmissionTicket&) = delete;
  AdmissionTicket& operator=(const AdmissionTicket&) = delete;
  void arm(std::shared_ptr<BackendState> state, int device) {
    state_ = std::move(state);
    device_ = device;
  }

 private:
  std::shared_ptr<BackendState> state_;
  int device_ = 0;
};

class CudnnTrainer final : public Trainer {
 public:
  // Allocates everything (may throw TrainingError "out of GPU memory"), chooses the algorithm
  // by probing the candidates when the cache did not know it, and uploads the initial weights
  // init_weights(model, train.seed).
  CudnnTrainer(std::shared_ptr<BackendState> state, RnnSetup setup,
               std::shared_ptr<const DeviceDataset> data, const ModelConfig& model,
               const TrainConfig& train, const FoldData& fold, const std::string& shape_key);
  ~CudnnTrainer() override;

  void arm_ticket(std::shared_ptr<BackendState> state, int device) {
    ticket_.arm(std::move(state), device);
  }
  // The algorithm the constructor chose (the backend caches it per shape; the constructor runs
  // under the admission lock, so it must not take that lock again itself).
  RnnAlgorithm algorithm() const { return algorithm_; }

  double train_epoch(int epoch) override;
  Evaluation evaluate(const RowList& rows) override;
  ModelWeights weights() const override;
  void set_weights(const ModelWeights& weights) override;
  double loss_and_gradient(const RowList& batch, std::vector<float>& gradient) override;
  std::string describe() const override;

 private:
  enum class Pass { train, evaluate };

  void set_algorithm(RnnAlgorithm algorithm);
  void choose_algorithm(const std::string& shape_key);
  void probe_algorithm();
  void build_weight_map();
  void upload_rows(const RowList& rows, DeviceBuffer<std::uint32_t>& target);
  void zero_gradients();
  // One chunk of at most B rows (device row indices), padded to B.
  void run_chunk(const std::uint32_t* rows, int n, Pass pass, std::uint64_t dropout_key,
                 float dropout_rate, float grad_scale);
  void finish_gradient();  // cuDNN's weight gradient → our flat gradient
  void current_device() const;
  void synchronize() const;
  // `count` elements from the device's pool, in the order of this trainer's stream.
  template <typename T>
  DeviceBuffer<T> buffer(std::size_t count) const {
    return DeviceBuffer<T>(count, state_->memory_pool(setup_.device), setup_.stream());
  }

  AdmissionTicket ticket_;  // first: destroyed last
  std::shared_ptr<BackendState> state_;
  RnnSetup setup_;
  std::shared_ptr<const DeviceDataset> data_;
  ModelConfig model_;
  TrainConfig train_;
  RowList train_rows_;
  ParameterLayout layout_;
  RnnAlgorithm algorithm_ = RnnAlgorithm::standard;
  std::size_t weight_space_bytes_ = 0;  // cuDNN's size for algorithm_ (≤ the buffer's)
  CudnnSizes chosen_sizes_;             // cuDNN's sizes for algorithm_ (describe())
  long step_ = 0;  // Adam steps taken
  RowList order_;  // this epoch's order, kept alive while its upload may be in flight

  // Parameters in our flat layout, and cuDNN's copies.
  DeviceBuffer<float> d_params_, d_grad_, d_adam_m_, d_adam_v_;
  DeviceBuffer<std::int64_t> d_map_;
  DeviceBuffer<std::uint8_t> d_decay_mask_;
  DeviceBuffer<float> d_weight_space_, d_dweight_space_;
  DeviceBuffer<unsigned char> d_workspace_, d_reserve_;
  // Activations of one padded batch.
  DeviceBuffer<float> d_x_, d_dx_, d_y_, d_dy_, d_head_in_, d_head_grad_, d_logits_, d_dlogits_;
  DeviceBuffer<float> d_losses_;
  DeviceBuffer<int> d_labels_, d_predictions_;
  DeviceBuffer<std::int32_t> d_seq_lengths_;
  // Rows and standardization.
  DeviceBuffer<std::uint32_t> d_train_rows_, d_rows_;
  DeviceBuffer<float> d_mean_, d_inv_std_;
  // Per-epoch / per-evaluation accumulators, read once at the end.
  DeviceBuffer<double> d_loss_sum_;
  DeviceBuffer<unsigned long long> d_confusion_;
};

}  // namespace eegsweep::cuda

#pragma once
// One (trial, fold) on the CPU: the GRU stack on oneDNN's linear-before-reset GRU primitives
// (one forward + one backward primitive per layer and batch size), the dense head and Adam in
// plain loops, everything in float32 and on the calling thread only.

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <oneapi/dnnl/dnnl.hpp>

#include "engine/cpu/aligned_buffer.h"
#include "engine/cpu/dense_head.h"
#include "engine/model/backend.h"

namespace eegsweep {

class CpuTrainer final : public Trainer {
 public:
  CpuTrainer(std::shared_ptr<const Dataset> data, const ModelConfig& model,
             const TrainConfig& train, const FoldData& fold);

  double train_epoch(int epoch) override;
  Evaluation evaluate(const RowList& rows) override;
  ModelWeights weights() const override;
  void set_weights(const ModelWeights& weights) override;
  double loss_and_gradient(const RowList& batch, std::vector<float>& gradient) override;
  std::string describe() const override;

 private:
  struct LayerPlan {
    dnnl::lbr_gru_forward::primitive_desc fwd_pd;
    dnnl::lbr_gru_forward fwd;
    dnnl::lbr_gru_backward::primitive_desc bwd_pd;  // training plans only
    dnnl::lbr_gru_backward bwd;
  };
  // Primitives for one batch size; a training plan's forward keeps a workspace for backward.
  struct Plan {
    int batch = 0;
    bool training = false;
    std::vector<LayerPlan> layers;
  };
  // Per GRU layer, shared by every plan (sized for the largest batch seen).
  struct LayerState {
    std::vector<float> weights_layer, weights_iter, bias;  // oneDNN ldigo / ldgo, packed from params_
    std::vector<float> diff_weights_layer, diff_weights_iter, diff_bias;
    dnnl::memory weights_layer_mem, weights_iter_mem, bias_mem;
    dnnl::memory diff_weights_layer_mem, diff_weights_iter_mem, diff_bias_mem;
    AlignedBuffer y, dy, workspace;  // y / dy: T × B × H (`tnc`)
  };
  // A copy of user weights in a primitive's preferred format (e.g. ldgoi for backward).
  struct Converted {
    void* source = nullptr;
    dnnl::memory memory;
  };

  Plan& plan_for(int batch, bool training);
  // Throws TrainingError, with the shape and the numbers, when `bytes` exceed the memory available.
  void check_memory_fits(std::size_t bytes, int batch) const;
  HeadShape head_shape(int batch) const;
  void gather(const RowIndex* rows, int batch);
  void pack_weights();
  // The cached buffer in format `want` that stands for `user` (created on first use).
  dnnl::memory converted_for(const dnnl::memory& user, const dnnl::memory::desc& want);
  dnnl::memory in_format(const dnnl::memory& user, const dnnl::memory::desc& want);
  dnnl::memory scratch_memory(const dnnl::primitive_desc_base& pd);
  void forward(Plan& plan);
  // Loss of the batch; with want_gradient, also dlogits_.
  double head_loss(const Plan& plan, const float* scale, bool want_gradient);
  // Fills grad_ from dlogits_: head, then every layer top-down.
  void backward(Plan& plan, const float* scale);
  void adam_step();

  std::shared_ptr<const Dataset> data_;
  ModelConfig model_;
  TrainConfig train_;
  FoldData fold_;
  ParameterLayout layout_;

  std::vector<float> params_, grad_, adam_m_, adam_v_;
  long adam_t_ = 0;  // Adam steps taken by this trainer, across epochs
  struct Segment {
    std::size_t begin, end;
    bool matrix;
  };
  std::vector<Segment> segments_;  // params_ split into weight-decayed matrices and biases

  dnnl::engine engine_;
  dnnl::stream stream_;
  std::vector<std::unique_ptr<Plan>> plans_;
  std::vector<LayerState> layers_;
  std::vector<Converted> converted_;
  AlignedBuffer x0_, dx0_, scratchpad_, dropout_scale_, head_a_;
  std::vector<int> labels_;
  std::vector<float> logits_, dlogits_;
};

}  // namespace eegsweep

#pragma once
// The fixture the hub-and-camera tests share: devices on one io thread that report to one
// Recorder, and a teardown that stops them on that thread before anything they talk to goes.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "emulators/camera/camera.hpp"
#include "emulators/hub/hub.hpp"
#include "tests/integration/fleet/fleet_support.hpp"

namespace camleak::fleet_test {

class DeviceFixture : public ::testing::Test {
 protected:
  DeviceFixture(uint64_t key_seed, unsigned decode_workers)
      : key_(media::run_key_from_seed(key_seed)), pool_(decode_workers) {}

  void TearDown() override {
    io_.run_sync([&] {
      for (auto& hub : hubs_) hub->stop();
      for (auto& camera : cameras_) camera->stop();
    });
    stop_servers();
    io_.stop();
    hubs_.clear();
    cameras_.clear();
  }

  // What the devices talked to: stopped after the devices, before their io thread.
  virtual void stop_servers() {}

  // A hub reporting operations and observations to recorder_, started.
  std::shared_ptr<emulators::Hub> start_hub(const emulators::HubConfig& config) {
    auto hub = emulators::Hub::create(io_.io(), clock_, config, key_, ids_, pool_,
                                      {.on_operation = recorder_.operation_sink(),
                                       .on_observation = recorder_.observation_sink()});
    hub->start();
    hubs_.push_back(hub);
    return hub;
  }

  // A camera with its loop encoded from `config`, reporting operations to recorder_, started.
  std::shared_ptr<emulators::Camera> start_camera(const emulators::CameraConfig& config) {
    auto loop = media::H264Loop::encode(emulators::loop_config(config));
    auto camera = emulators::Camera::create(io_.io(), clock_, config, loop, key_, ids_,
                                            {.on_operation = recorder_.operation_sink()});
    camera->start();
    cameras_.push_back(camera);
    return camera;
  }

  SteadyClock clock_;
  media::RunKey key_;
  emulators::IdCounter ids_;
  Recorder recorder_;
  emulators::DecodePool pool_;
  IoThread io_;
  std::vector<std::shared_ptr<emulators::Hub>> hubs_;
  std::vector<std::shared_ptr<emulators::Camera>> cameras_;
};

}  // namespace camleak::fleet_test

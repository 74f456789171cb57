#pragma once
// H.264 encoding through libavcodec + libx264, set up for live low-latency streams any decoder
// and RTSP client can play: constrained-baseline profile, tune zerolatency, no B-frames, fixed
// GOP (no scene-cut keyframes), SPS/PPS repeated in-band before every IDR.
#include <cstdint>
#include <string>
#include <vector>

#include "emulators/h264/nal.hpp"
#include "emulators/media/ffmpeg_ptr.hpp"
#include "emulators/media/picture.hpp"

namespace camleak::media {

struct H264EncoderConfig {
  int width = 320;
  int height = 240;
  int fps = 25;
  int gop = 25;                      // frames from one IDR to the next
  int64_t bitrate_bps = 400'000;     // average; the VBV caps peaks at the same rate
  std::string preset = "ultrafast";  // any x264 preset; ultrafast or veryfast for fleets
  int threads = 1;                   // x264 threads; 1 keeps one camera on one core
};

// Throws InputError naming the field when a value is out of range (odd sizes, fps <= 0, ...).
void validate(const H264EncoderConfig& config);

struct EncodedPicture {
  bool keyframe = false;
  std::vector<Bytes> nals;  // everything x264 emitted for the picture, without start codes
};

class H264Encoder {
 public:
  explicit H264Encoder(const H264EncoderConfig& config);

  // Encodes one YUV420P picture of the configured size. With zerolatency x264 returns the
  // picture at once; the vector holds every packet that came out (normally exactly one).
  std::vector<EncodedPicture> encode(const Picture& picture);
  // Drains pictures still inside the encoder.
  std::vector<EncodedPicture> flush();

  const H264EncoderConfig& config() const { return config_; }

 private:
  std::vector<EncodedPicture> receive_all();

  H264EncoderConfig config_;
  CodecContextPtr context_;
  PacketPtr packet_;
  FramePtr frame_;
  int64_t next_pts_ = 0;
};

}  // namespace camleak::media

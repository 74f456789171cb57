// Media benchmark: frames per second on one core for the camera side (encode the loop, stamp
// access units) and the hub side (decode + identify), against a bare single-threaded decode of
// the same stream, in-process (libavcodec, libavformat) and with the ffmpeg CLI.
// Rates are per CPU second of one core. Prints figures only; the target is decode+identify >= 0.7x
// bare libavcodec decode.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "emulators/media/frame_identifier.hpp"
#include "emulators/media/h264_decoder.hpp"
#include "emulators/media/h264_loop.hpp"
#include "emulators/media/identity_stamper.hpp"
#include "emulators/media/media_error.hpp"
#include "emulators/media/still_image.hpp"

namespace media = camleak::media;
using Clock = std::chrono::steady_clock;
using camleak::Bytes;

namespace {

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU time of this (single-threaded) process: on a shared machine wall-clock time would count
// the time other processes held the core; ffmpeg's -benchmark utime does not either.
double cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

// Best of `runs` items per CPU second.
double best_rate(int runs, std::size_t items, const std::function<void()>& body) {
  double best = 0;
  for (int r = 0; r < runs; ++r) {
    const double start = cpu_seconds();
    body();
    best = std::max(best, static_cast<double>(items) / (cpu_seconds() - start));
  }
  return best;
}

// A bare libavcodec decode loop: the same packets, none of our work around them.
std::size_t bare_decode(const std::vector<Bytes>& packets) {
  media::CodecContextPtr context =
      media::make_codec_context(avcodec_find_decoder(AV_CODEC_ID_H264), "h264");
  context->thread_count = 1;
  context->thread_type = 0;
  context->flags |= AV_CODEC_FLAG_LOW_DELAY;
  media::check_av(avcodec_open2(context.get(), context->codec, nullptr), "avcodec_open2");
  media::PacketPtr packet = media::make_packet();
  media::FramePtr frame = media::make_frame();
  std::size_t pictures = 0;
  for (const Bytes& data : packets) {
    media::check_av(av_new_packet(packet.get(), static_cast<int>(data.size())), "av_new_packet");
    std::copy(data.begin(), data.end(), packet->data);
    media::check_av(avcodec_send_packet(context.get(), packet.get()), "avcodec_send_packet");
    av_packet_unref(packet.get());
    while (avcodec_receive_frame(context.get(), frame.get()) == 0) ++pictures;
  }
  return pictures;
}

// What `ffmpeg -i clip.h264 -f null -` does, in-process: raw H.264 demuxer + parser + decoder.
std::size_t avformat_decode(const std::string& path) {
  AVFormatContext* raw = nullptr;
  media::check_av(avformat_open_input(&raw, path.c_str(), nullptr, nullptr), "avformat_open_input");
  media::InputFormatContextPtr input(raw);
  media::check_av(avformat_find_stream_info(input.get(), nullptr), "avformat_find_stream_info");
  const AVStream* stream = input->streams[0];
  media::CodecContextPtr context =
      media::make_codec_context(avcodec_find_decoder(stream->codecpar->codec_id), "h264");
  media::check_av(avcodec_parameters_to_context(context.get(), stream->codecpar), "parameters");
  context->thread_count = 1;
  context->thread_type = 0;
  media::check_av(avcodec_open2(context.get(), context->codec, nullptr), "avcodec_open2");
  media::PacketPtr packet = media::make_packet();
  media::FramePtr frame = media::make_frame();
  std::size_t pictures = 0;
  while (av_read_frame(input.get(), packet.get()) >= 0) {
    avcodec_send_packet(context.get(), packet.get());
    av_packet_unref(packet.get());
    while (avcodec_receive_frame(context.get(), frame.get()) == 0) ++pictures;
  }
  avcodec_send_packet(context.get(), nullptr);
  while (avcodec_receive_frame(context.get(), frame.get()) == 0) ++pictures;
  return pictures;
}

// Rate of the ffmpeg CLI from its own -benchmark figure (user CPU time of the whole run,
// start-up included), and from wall-clock time.
struct CliRate {
  double cpu = 0;
  double wall = 0;
};

CliRate ffmpeg_cli_rate(const std::string& path, std::size_t frames, int runs) {
  const std::string command =
      "ffmpeg -nostdin -hide_banner -benchmark -threads 1 -i '" + path + "' -f null - 2>&1";
  CliRate best;
  for (int r = 0; r < runs; ++r) {
    const auto start = Clock::now();
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return best;
    std::string output;
    char buffer[512];
    while (std::fgets(buffer, sizeof buffer, pipe)) output += buffer;
    if (pclose(pipe) != 0) return best;
    best.wall = std::max(best.wall, static_cast<double>(frames) / seconds_since(start));
    const std::size_t at = output.find("utime=");
    if (at != std::string::npos) {
      const double utime = std::atof(output.c_str() + at + 6);
      if (utime > 0) best.cpu = std::max(best.cpu, static_cast<double>(frames) / utime);
    }
  }
  return best;
}

void run(int width, int height, int64_t bitrate, std::size_t frames, int runs) {
  std::printf("\n== %dx%d, %lld kbps, ultrafast, GOP 25 ==\n", width, height,
              static_cast<long long>(bitrate / 1000));
  const media::LoopConfig config{
      .encoder = {.width = width, .height = height, .fps = 25, .gop = 25, .bitrate_bps = bitrate},
      .gops = 2,
      .camera_code = 0xCA3E0001u};

  std::shared_ptr<const media::H264Loop> loop;
  const double encode_fps = best_rate(runs, config.encoder.gop * config.gops,
                                      [&] { loop = media::H264Loop::encode(config); });
  std::printf("encode loop (render + x264)     %9.0f frames/s  (%zu-frame loop: %.2f s/camera)\n",
              encode_fps, loop->size(), loop->size() / encode_fps);

  const media::RunKey key = media::run_key_from_seed(1);
  media::IdentityStamper stamper(loop, key, "camera-0001", "account-0001");
  std::vector<media::StampedAccessUnit> units;
  const double stamp_fps = best_rate(runs, frames, [&] {
    units.clear();
    units.reserve(frames);
    for (std::size_t i = 0; i < frames; ++i) {
      units.push_back(stamper.stamp(i, i, camleak::Micros{static_cast<int64_t>(i) * 40'000}));
    }
  });
  std::size_t stream_bytes = 0;
  for (const auto& unit : units) stream_bytes += camleak::h264::annexb_size(unit.nals);
  std::printf("stamp (SEI + HMAC + copy)       %9.0f frames/s  (%.1f KB/frame)\n", stamp_fps,
              stream_bytes / 1024.0 / frames);

  std::size_t ok = 0;
  const double identify_fps = best_rate(runs, frames, [&] {
    media::FrameIdentifier identifier(key);
    ok = 0;
    for (const auto& unit : units) {
      const media::FrameIdentity id = identifier.identify(unit.nals);
      ok += id.status == camleak::DecodeStatus::ok && id.sei && id.sei->hmac_valid &&
            id.pixel_code == config.camera_code;
    }
  });
  std::printf("decode + identify               %9.0f frames/s  (%zu/%zu frames fully identified)\n",
              identify_fps, ok, frames);

  std::vector<Bytes> packets;
  packets.reserve(units.size());
  for (const auto& unit : units) packets.push_back(unit.to_annexb());
  std::size_t bare_pictures = 0;
  const double bare_fps = best_rate(runs, frames, [&] { bare_pictures = bare_decode(packets); });
  std::printf("bare libavcodec decode          %9.0f frames/s  (%zu pictures)\n", bare_fps,
              bare_pictures);

  const std::string path = (std::filesystem::temp_directory_path() /
                            ("camleak-media-bench-" + std::to_string(width) + ".h264"))
                               .string();
  {
    std::ofstream out(path, std::ios::binary);
    for (const auto& packet : packets) {
      out.write(reinterpret_cast<const char*>(packet.data()),
                static_cast<std::streamsize>(packet.size()));
    }
  }
  std::size_t demuxed = 0;
  const double avformat_fps = best_rate(runs, frames, [&] { demuxed = avformat_decode(path); });
  std::printf("bare avformat+avcodec clip.h264 %9.0f frames/s  (%zu pictures)\n", avformat_fps,
              demuxed);
  const CliRate cli = ffmpeg_cli_rate(path, frames, runs);
  std::printf(
      "ffmpeg -threads 1 -i clip.h264  %9.0f frames/s  (-benchmark utime; %.0f by wall clock)\n",
      cli.cpu, cli.wall);
  std::filesystem::remove(path);

  std::printf("ratio decode+identify / bare libavcodec: %.2f  (target >= 0.70)\n",
              identify_fps / bare_fps);
  if (cli.cpu > 0) {
    std::printf("ratio decode+identify / ffmpeg CLI:      %.2f\n", identify_fps / cli.cpu);
  }

  media::JpegEncoder jpeg(75);
  media::FrameIdentifier identifier(key);
  identifier.identify(units.front().nals);
  const media::Picture picture = identifier.picture();
  Bytes snapshot;
  const double jpeg_fps = best_rate(runs, 200, [&] {
    for (int i = 0; i < 200; ++i) snapshot = jpeg.encode(picture);
  });
  const double jpeg_id_fps = best_rate(runs, 200, [&] {
    for (int i = 0; i < 200; ++i) media::identify_jpeg(snapshot);
  });
  std::printf("JPEG q75 encode (snapshot)      %9.0f images/s  (%.1f KB)\n", jpeg_fps,
              snapshot.size() / 1024.0);
  std::printf("identify_jpeg                   %9.0f images/s\n", jpeg_id_fps);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"camleak media benchmark (one core)"};
  std::size_t frames = 1000;
  int runs = 3;
  app.add_option("--frames", frames, "access units to stamp and decode per resolution")
      ->check(CLI::Range(50, 1'000'000));
  app.add_option("--runs", runs, "repetitions; the best is reported")->check(CLI::Range(1, 20));
  CLI11_PARSE(app, argc, argv);
  media::quiet_ffmpeg_logging();
  try {
    run(160, 120, 150'000, frames, runs);  // the fleet size: the pixel code still reads here
    run(320, 240, 400'000, frames, runs);
    run(640, 360, 1'000'000, frames, runs);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "media_bench: %s\n", e.what());
    return 3;
  }
  return 0;
}

// The relay's two URL layouts and the cloud layout's stream tickets.
#include "emulators/relay/layout.hpp"

#include <gtest/gtest.h>

#include "emulators/relay/tickets.hpp"

namespace camleak::relay {
namespace {

using Role = StreamPath::Role;

TEST(Layout, TheContractNamesCamerasForBothRoles) {
  const auto p = stream_path(Layout::contract, "rtsp://127.0.0.1:8554/cameras/cam-1/trackID=0");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->camera, "cam-1");
  EXPECT_TRUE(p->allows(Role::publish));
  EXPECT_TRUE(p->allows(Role::play));
  EXPECT_FALSE(stream_path(Layout::contract, "/live/cam-1/t"));
}

TEST(Layout, TheCloudSeparatesIngestFromLiveAndLiveNeedsATicket) {
  const auto in = stream_path(Layout::cloud, "rtsp://h:1/ingest/cam-1?x=1");
  ASSERT_TRUE(in);
  EXPECT_TRUE(in->allows(Role::publish));
  EXPECT_FALSE(in->allows(Role::play));
  const auto live = stream_path(Layout::cloud, "rtsp://h:1/live/cam-1/tk/trackID=0");
  ASSERT_TRUE(live);
  EXPECT_EQ(live->ticket, "tk");
  EXPECT_FALSE(live->allows(Role::publish));
  EXPECT_FALSE(stream_path(Layout::cloud, "rtsp://h:1/live/cam-1"));
  EXPECT_FALSE(stream_path(Layout::cloud, "rtsp://h:1/cameras/cam-1"));
  EXPECT_FALSE(stream_path(Layout::cloud, "rtsp://h:1/ingest/a%20b"));
}

TEST(Tickets, ATicketGrantsOneCameraForItsLifetime) {
  TicketBook book;
  book.issue("t1", "user-1", "cam-1", Micros{0});
  EXPECT_EQ(book.redeem("t1", "cam-1", TicketBook::kLifetime), "user-1");
  EXPECT_FALSE(book.redeem("t1", "cam-2", Micros{0}));
  EXPECT_FALSE(book.redeem("t1", "cam-1", TicketBook::kLifetime + Micros{1}));
  EXPECT_FALSE(book.redeem("t2", "cam-1", Micros{0}));
}

TEST(Tickets, ExpiredTicketsGoBeforeLiveOnes) {
  TicketBook book;
  book.issue("old", "u", "c", Micros{0});
  book.issue("new", "u", "c", TicketBook::kLifetime + Micros{5});
  EXPECT_EQ(book.size(), 1u);
  EXPECT_TRUE(book.redeem("new", "c", TicketBook::kLifetime + Micros{5}));
}

TEST(Tickets, TheBookForgetsTheOldestBeyondItsCap) {
  TicketBook book;
  for (size_t i = 0; i <= TicketBook::kMaxTickets; ++i)
    book.issue("t" + std::to_string(i), "u", "c", Micros{0});
  EXPECT_EQ(book.size(), TicketBook::kMaxTickets);
  EXPECT_FALSE(book.redeem("t0", "c", Micros{0}));
  EXPECT_TRUE(book.redeem("t1", "c", Micros{0}));
}

}  // namespace
}  // namespace camleak::relay

"""Where each Post field sits in MediaCrawler's contents and comments exports, platform by platform.

Column names follow MediaCrawler's store modules (see /work/shared/FORMATS.md). Kinds: xhs notes
(video when type is "video"), douyin / bilibili / kuaishou videos, weibo and zhihu notes (zhihu
zvideo is a video), tieba topics; comments are "comment", or "reply" when parent_comment_id is set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Folder names under data/ (MediaCrawler's and its CLI's short names) to Post platforms.
FOLDER_PLATFORMS = {
    "xhs": "xhs", "xiaohongshu": "xhs", "douyin": "douyin", "dy": "douyin", "bili": "bilibili",
    "bilibili": "bilibili", "weibo": "weibo", "wb": "weibo", "zhihu": "zhihu", "kuaishou": "kuaishou",
    "ks": "kuaishou", "tieba": "tieba",
}
# Author columns in order of preference; new-era exports carry only creator_hash.
AUTHOR_COLUMNS = ("user_id", "user_link", "creator_hash")
REPLY_COLUMNS = ("parent_comment_id", "parment_comment_id")  # old tieba exports spelt it so


@dataclass(frozen=True)
class Layout:
    id: str
    time: str
    text: tuple[str, ...]  # first non-empty column wins
    title: str | None = None
    parent: str | None = None  # comments: the column holding the note's id
    url: str | None = None
    url_pattern: str | None = None  # used when the url column is absent or empty; {id} is the note's id
    counts: dict[str, str] = field(default_factory=dict)  # Post count field -> column
    kind: str = "comment"
    tags: str | None = None
    html: bool = False  # the text column holds HTML (weibo, tieba)


def _counts(likes: str | None = None, comments: str | None = None, shares: str | None = None,
            collects: str | None = None) -> dict[str, str]:
    pairs = {"likes": likes, "comments": comments, "shares": shares, "collects": collects}
    return {k: v for k, v in pairs.items() if v}


_XHS_URL = "https://www.xiaohongshu.com/explore/{id}"
_DOUYIN_URL = "https://www.douyin.com/video/{id}"
_BILI_URL = "https://www.bilibili.com/video/av{id}"
_WEIBO_URL = "https://m.weibo.cn/detail/{id}"
_KS_URL = "https://www.kuaishou.com/short-video/{id}"

CONTENTS = {
    "xhs": Layout("note_id", "time", ("desc",), "title", url="note_url", url_pattern=_XHS_URL,
                  counts=_counts("liked_count", "comment_count", "share_count", "collected_count"),
                  kind="note", tags="tag_list"),
    "douyin": Layout("aweme_id", "create_time", ("desc",), "title", url="aweme_url", url_pattern=_DOUYIN_URL,
                     counts=_counts("liked_count", "comment_count", "share_count", "collected_count"),
                     kind="video"),
    "bilibili": Layout("video_id", "create_time", ("desc",), "title", url="video_url", url_pattern=_BILI_URL,
                       counts=_counts("liked_count", "video_comment", "video_share_count",
                                      "video_favorite_count"), kind="video"),
    "weibo": Layout("note_id", "create_time", ("content",), url="note_url", url_pattern=_WEIBO_URL,
                    counts=_counts("liked_count", "comments_count", "shared_count"), kind="note", html=True),
    "zhihu": Layout("content_id", "created_time", ("content_text", "desc"), "title", url="content_url",
                    counts=_counts("voteup_count", "comment_count"), kind="note"),
    "kuaishou": Layout("video_id", "create_time", ("desc",), "title", url="video_url", url_pattern=_KS_URL,
                       counts=_counts("liked_count"), kind="video"),
    "tieba": Layout("note_id", "publish_time", ("desc",), "title", url="note_url",
                    counts=_counts(comments="total_replay_num"), kind="topic", html=True),
}

COMMENTS = {
    "xhs": Layout("comment_id", "create_time", ("content",), parent="note_id", url_pattern=_XHS_URL,
                  counts=_counts("like_count", "sub_comment_count")),
    "douyin": Layout("comment_id", "create_time", ("content",), parent="aweme_id", url_pattern=_DOUYIN_URL,
                     counts=_counts("like_count", "sub_comment_count")),
    "bilibili": Layout("comment_id", "create_time", ("content",), parent="video_id", url_pattern=_BILI_URL,
                       counts=_counts("like_count", "sub_comment_count")),
    "weibo": Layout("comment_id", "create_time", ("content",), parent="note_id", url_pattern=_WEIBO_URL,
                    counts=_counts("comment_like_count", "sub_comment_count"), html=True),
    "zhihu": Layout("comment_id", "publish_time", ("content",), parent="content_id",
                    counts=_counts("like_count", "sub_comment_count")),
    "kuaishou": Layout("comment_id", "create_time", ("content",), parent="video_id", url_pattern=_KS_URL,
                       counts=_counts("like_count", "sub_comment_count")),
    "tieba": Layout("comment_id", "publish_time", ("content",), parent="note_id", url="note_url",
                    counts=_counts(comments="sub_comment_count"), html=True),
}


def content_kind(platform: str, row: dict[str, Any]) -> str:
    """The Post kind of a contents row; xhs and zhihu say per row whether it is a video."""
    if platform == "xhs" and str(row.get("type") or "").strip() == "video":
        return "video"
    if platform == "zhihu" and str(row.get("content_type") or "").strip() == "zvideo":
        return "video"
    return CONTENTS[platform].kind


def platform_from_columns(columns: set[str]) -> str | None:
    """Guess the platform of a file outside data/{platform}/ from the columns only its exports have."""
    signatures = [
        ("douyin", {"aweme_id"}), ("tieba", {"tieba_name"}), ("tieba", {"tieba_link"}),
        ("zhihu", {"content_id"}), ("bilibili", {"video_danmaku"}), ("bilibili", {"video_play_count"}),
        ("kuaishou", {"viewd_count"}), ("kuaishou", {"video_play_url"}), ("weibo", {"profile_url"}),
        ("weibo", {"comments_count"}), ("weibo", {"comment_like_count"}), ("xhs", {"xsec_token"}),
        ("xhs", {"note_id", "collected_count"}), ("xhs", {"note_id", "pictures"}),
    ]
    for platform, needed in signatures:
        if needed <= columns:
            return platform
    return None

"""What the Telegram bot says, in one place: short, polite Vietnamese (Telegram HTML)."""

from __future__ import annotations

GREETING = (
    "Xin chào đồng chí {name}! Tôi là trợ lý tra cứu văn kiện của Đảng.\n"
    "Đồng chí hỏi bằng tiếng Việt (có dấu hay không dấu đều được), tôi trích nguyên văn "
    "đoạn văn bản trả lời kèm nguồn: văn bản nào, cơ quan nào, ngày nào, ở điều, khoản nào."
)
# Example questions offered at /start and in the console chat: those the corpus answers.
EXAMPLE_QUESTIONS = (
    "Người vào Đảng phải đủ bao nhiêu tuổi?",
    "Đảng viên đóng đảng phí dựa trên cơ sở nào?",
    "Đảng viên tuổi cao, sức khỏe yếu có được miễn sinh hoạt đảng không?",
    "Chỉ thị 05 về học tập và làm theo tư tưởng Hồ Chí Minh",
    "Khi nào đảng viên dự bị được xét công nhận chính thức?",
    "Đảng viên có quyền phê bình, chất vấn tổ chức đảng không?",
)
FALLBACK_EXAMPLE = "Người vào Đảng phải đủ bao nhiêu tuổi?"  # when the corpus answers no example
HELLO = (
    "Xin chào đồng chí! Tôi trích nguyên văn các văn bản của Đảng để trả lời câu hỏi, kèm nguồn. "
    "Đồng chí cứ gõ câu hỏi, ví dụ «{example}»."
)
YOU_ARE_WELCOME = "Rất vui được giúp đồng chí. Cần tra cứu gì thêm, đồng chí cứ hỏi tôi."
KNOWS = "Hiện tôi có {count} văn bản: {kinds}."
KNOWS_NOTHING = "Hiện tôi chưa có văn bản nào; quản trị viên cần thêm văn bản trước."
TRY_EXAMPLES = "Đồng chí có thể bấm thử một câu hỏi mẫu dưới đây, hoặc gõ câu hỏi của mình."
GROUP_START = (
    "Xin chào! Trong nhóm, tôi chỉ trả lời khi được hỏi: gõ <code>/hoi câu hỏi</code>, "
    "nhắc tên tôi ({mention}) hoặc trả lời (reply) tin nhắn của tôi."
)
HELP = (
    "<b>Cách dùng</b>\n"
    "• Trong trò chuyện riêng: gõ câu hỏi, ví dụ «{example}».\n"
    "• Trong nhóm: <code>/hoi câu hỏi</code>, nhắc tên {mention} kèm câu hỏi, "
    "hoặc trả lời (reply) tin nhắn của tôi.\n"
    "• Ở bất kỳ cuộc trò chuyện nào: gõ <code>{mention} câu hỏi</code> rồi chọn đoạn trích "
    "để gửi.\n"
    "• /vanban: danh sách văn bản; <code>/vanban 294-QĐ/TW</code> hoặc "
    "<code>/vanban điều lệ</code>: thông tin một văn bản.\n"
    "• <code>/phamvi 294</code>: chỉ tra cứu trong một văn bản (hữu ích khi cả nhóm học một "
    "văn bản); <code>/phamvi tatca</code>: tra cứu lại tất cả.\n"
    "Dưới mỗi câu trả lời: <b>Toàn văn</b> xem cả đoạn (rồi <b>📖 Cả Điều …</b> đọc cả điều "
    "chứa đoạn ấy), <b>Xem thêm</b> xem kết quả tiếp theo, 👍/👎 góp ý để tôi trả lời tốt hơn.\n"
    "Tôi chỉ trích dẫn đúng nguyên văn; khi chưa chắc đoạn trích trả lời đúng câu hỏi, hay không "
    "tìm thấy gì, tôi nói rõ. Đoạn trích nào "
    "không nhắc đến một từ quan trọng trong câu hỏi, tôi ghi chú ngay bên dưới.\n"
    "Đồng chí có thể gõ không dấu, thiếu dấu hay nhầm dấu; khi đó tôi ghi rõ tôi đã hiểu câu hỏi thế nào.\n"
    "Muốn đọc một điều, điểm cụ thể, đồng chí gõ ví dụ «Điều 8 Quy định 294» hoặc "
    "«điểm 4.3.2 Quy định 294»: tôi trích lần lượt từng đoạn của điều, điểm đó."
)
HELP_ADMIN = (
    "\n\n<b>Quản trị</b>\n"
    "• /capnhat: cập nhật chỉ mục từ thư mục văn bản (bot vẫn chạy).\n"
    "• Gửi một tệp PDF, DOCX, TXT, MD hoặc HTML (tối đa 20 MB) vào trò chuyện riêng "
    "để thêm vào kho.\n"
    "• <code>/xoavanban số hiệu hoặc tên</code>: gỡ một văn bản khỏi kho (có thể khôi phục).\n"
    "• /thongke: biểu đồ 30 ngày và thống kê sử dụng 7 ngày qua.\n"
    "• /nhatky: 20 việc quản trị gần nhất (ai, làm gì, khi nào, kết quả).\n"
    "• <code>/quantri them mã</code>, <code>/quantri bo mã</code>: thêm, bỏ một quản trị viên "
    "(mã Telegram); /quantri: danh sách.\n"
    "• Cán bộ gọi khác văn bản (ví dụ «góp quỹ đảng» thay cho «đóng đảng phí»)? Ghi vào tệp "
    "<code>synonyms.yaml</code> trong thư mục văn bản một dòng "
    "<code>đóng đảng phí: [góp quỹ đảng]</code>, rồi gõ /capnhat."
)
QUESTION_HEADER = "❓ <i>{question}</i>"
PLACE_HEADER = "📖 <b>{place}</b>, từng đoạn theo thứ tự:"
MORE_HEADER = "Các kết quả tiếp theo cho «{question}»:"
NO_MORE = "Không còn kết quả nào khác."
EXPIRED = "Nút này đã hết hạn. Đồng chí vui lòng gửi lại câu hỏi."
PASSAGE_GONE = "Đoạn văn này không còn trong chỉ mục (văn bản vừa được cập nhật)."
THANKS = "Cảm ơn đồng chí đã góp ý!"
SLOW_DOWN = (
    "Đồng chí đang hỏi hơi nhanh. Xin đợi khoảng {seconds} giây rồi hỏi tiếp."
)
SORRY_ERROR = "Xin lỗi, đã có lỗi khi xử lý yêu cầu của đồng chí. Đồng chí vui lòng thử lại sau."
TEXT_ONLY = (
    "Tôi chỉ đọc được câu hỏi dạng chữ. Đồng chí hãy gõ câu hỏi, ví dụ «{example}»."
)
UNKNOWN_COMMAND = "Tôi không hiểu lệnh này. Gõ /trogiup để xem cách dùng."
DOC_NOT_FOUND = (
    "Không tìm thấy văn bản nào khớp với «{query}». Gõ /vanban để xem danh sách."
)
DOC_MANY = "Có {count} văn bản khớp với «{query}»:"
INLINE_EMPTY = "Gõ câu hỏi sau tên bot"
INLINE_NOTHING = "Chưa tìm thấy — hỏi riêng với bot"
INLINE_RELATED = "⚠️ Có thể chưa đúng ý hỏi · {excerpt}"  # the description of a `related` choice

SCOPE_ALL = "Cuộc trò chuyện này tra cứu trong tất cả văn bản hiện có."
SCOPE_NOW = "Cuộc trò chuyện này chỉ tra cứu trong:"
SCOPE_HOW = (
    "Gõ <code>/phamvi số hiệu hoặc từ khoá</code> (ví dụ <code>/phamvi 294</code>) để chỉ "
    "tra cứu trong văn bản đó, hoặc <code>/phamvi tatca</code> để tra cứu lại tất cả."
)
SCOPE_SET = "✅ Từ giờ, trong cuộc trò chuyện này tôi chỉ trích dẫn:"
SCOPE_CLEARED = "✅ Từ giờ, tôi tra cứu trong tất cả văn bản hiện có."
SCOPE_NOT_ALLOWED = "Xin lỗi, trong nhóm chỉ quản trị viên của nhóm mới đổi được phạm vi tra cứu."
SCOPE_FOOTER = "<i>🔎 Chỉ tra cứu trong: {names}.</i>"
SCOPE_NO_ANSWER = (
    "Cuộc trò chuyện này chỉ tra cứu trong: {names}. Gõ <code>/phamvi tatca</code> để tìm "
    "trong tất cả văn bản."
)

NOT_ADMIN = "Xin lỗi, chỉ quản trị viên mới dùng được chức năng này."
YOUR_ID = (
    "Mã Telegram của đồng chí là <code>{id}</code>. Nếu đồng chí là người cài đặt bot, hãy thêm mã này "
    "vào <code>ADMIN_IDS</code> (tệp <code>.env</code>) rồi khởi động lại bot."
)
NOT_ADMIN_UPLOAD = (
    "Cảm ơn đồng chí đã gửi tệp. Xin lỗi, chỉ quản trị viên mới thêm được văn bản vào kho."
)
REINDEX_START = "⏳ Đang cập nhật chỉ mục…"
REINDEX_PROGRESS = "⏳ Đang cập nhật chỉ mục: {done}/{total} tệp\n<i>{name}</i>"
REINDEX_BUSY = "Đang có một lần cập nhật chỉ mục khác. Đồng chí vui lòng thử lại sau ít phút."
REINDEX_FAILED = "Cập nhật chỉ mục không thành công; chỉ mục cũ vẫn đang được dùng."
UPLOAD_READING = "⏳ Đang đọc tệp «{name}»…"
UPLOAD_INDEXING = "⏳ Đã lưu «{name}», đang cập nhật chỉ mục…"
UPLOAD_BAD_TYPE = (
    "Không thêm được «{name}»: tôi chỉ nhận tệp PDF, DOCX, TXT, MD hoặc HTML."
)
UPLOAD_TOO_BIG = "Không thêm được «{name}»: tệp lớn hơn {limit} MB."
UPLOAD_REFUSED = "Không thêm được «{name}»: {reason}."
UPLOAD_SAME = "Văn bản «{title}» đã có trong kho với đúng nội dung này; không cần thêm."
UPLOAD_ADDED = "✅ Đã thêm «{title}» ({passages} đoạn). Đồng chí có thể hỏi về văn bản này ngay."
UPLOAD_UPDATED = "✅ Đã cập nhật «{title}» ({passages} đoạn)."
UPLOAD_BUSY = (
    "Đã lưu «{name}», nhưng đang có một lần cập nhật chỉ mục khác. "
    "Văn bản sẽ có mặt sau lần cập nhật tới (/capnhat)."
)

REMOVE_USAGE = (
    "Gõ <code>/xoavanban</code> kèm số hiệu hoặc tên văn bản cần gỡ, ví dụ "
    "<code>/xoavanban 294-QĐ/TW</code>."
)
REMOVE_CHOOSE = "Có {count} văn bản khớp với «{query}». Đồng chí muốn gỡ văn bản nào?"
REMOVE_CONFIRM = (
    "Gỡ văn bản này khỏi kho? Tệp sẽ được cất vào thư mục lưu trữ và có thể khôi phục."
)
REMOVE_KEPT = "Đã huỷ; văn bản vẫn còn trong kho."
REMOVE_GONE = "Văn bản này không còn trong kho (có thể vừa được cập nhật hoặc gỡ)."
REMOVING = "⏳ Đang gỡ «{title}» và cập nhật chỉ mục…"
REMOVED = (
    "✅ Đã gỡ «{title}» khỏi kho ({passages} đoạn). Tệp <code>{name}</code> được cất vào "
    "thư mục lưu trữ; bấm «Khôi phục» nếu gỡ nhầm."
)
REMOVED_NO_FILE = "✅ Đã gỡ «{title}» khỏi chỉ mục (tệp đã không còn trong thư mục văn bản)."
REMOVE_FAILED = "Gỡ văn bản không thành công; văn bản vẫn còn trong kho và chỉ mục cũ vẫn đang được dùng."
REMOVE_BUSY = (
    "Đang có một lần cập nhật chỉ mục khác; văn bản vẫn còn trong kho. "
    "Đồng chí vui lòng thử lại sau ít phút."
)
REMOVED_KEPT = "Các văn bản đã gỡ, có thể khôi phục:"
RESTORING = "⏳ Đang khôi phục «{name}»…"
RESTORED = "✅ Đã khôi phục «{title}» ({passages} đoạn)."
RESTORE_GONE = "Không còn tệp nào để khôi phục."
RESTORE_TAKEN = "Không khôi phục được: trong kho đã có một tệp khác tên «{name}»."
RESTORE_BUSY = (
    "Đã trả tệp «{name}» về kho, nhưng đang có một lần cập nhật chỉ mục khác. "
    "Văn bản sẽ có mặt sau lần cập nhật tới (/capnhat)."
)

# `vankien add`, `remove`, `restore`: the admin's work on the terminal (plain text).
DATABASE_BUSY = "Kho văn bản đang bị một tiến trình khác khoá; đồng chí vui lòng hỏi lại sau ít phút."
CLI_DOCUMENT = "{heading} — tệp {path}, {passages} đoạn"
CLI_ADDED = "✅ Đã thêm «{title}» vào kho (tệp {name})."
CLI_REPLACED = "✅ Đã thay tệp {name} bằng bản mới («{title}»)."
CLI_SAVED_NOT_INDEXED = (
    "Tệp đã ở trong thư mục văn bản, nhưng đang có một lần cập nhật chỉ mục khác. "
    "Văn bản sẽ có mặt sau lần chạy «vankien index» tới."
)
CLI_DOC_NOT_FOUND = "Không tìm thấy văn bản nào khớp với «{query}». Gõ «vankien stats» để xem danh sách."
CLI_REMOVE_CHOOSE = "Có {count} văn bản khớp với «{query}»; đồng chí hãy gõ số hiệu hoặc tên cụ thể hơn:"
CLI_REMOVED = (
    "✅ Đã gỡ «{title}» khỏi kho ({passages} đoạn). Tệp được cất tại {kept}; "
    "gõ «vankien restore {doc_id}» nếu gỡ nhầm."
)
CLI_NOTHING_REMOVED = "Chưa có văn bản nào bị gỡ."
CLI_RESTORE_HOW = "Gõ «vankien restore MÃ» để khôi phục một văn bản."
CLI_RESTORE_UNKNOWN = "Không có văn bản đã gỡ nào mang mã «{id}». Gõ «vankien restore» để xem danh sách."
CLI_RESTORED = "✅ Đã khôi phục tệp {name} vào kho."

# `vankien stats`
STATS_INDEX = "Chỉ mục thế hệ {generation} (bộ tìm kiếm {engine}): {documents} văn bản, {passages} đoạn."
STATS_DOCUMENT = "  {code:>12}  {date:10}  {passages:>4} đoạn  {title}"
STATS_QUESTIONS = (
    "Câu hỏi 7 ngày qua: {asked} · trả lời được {answered} · chưa chắc {related} · không tìm thấy {nothing}"
)

# The console chat (`vankien chat`) and the command line's other lines.
CHAT_HOW = "Gõ câu hỏi (Enter để gửi), «thêm» để xem thêm kết quả, «thoát» hoặc Ctrl-D để thoát."
CHAT_HELP = (
    "Gõ câu hỏi bằng tiếng Việt, có dấu hay không dấu đều được; «Điều 8 Quy định 294» trích cả "
    "một điều. «thêm»: các kết quả tiếp theo. «thoát»: kết thúc."
)
CHAT_INTRO = "vankien · {documents} văn bản, {passages} đoạn. " + CHAT_HOW
CHAT_EXAMPLES = "Ví dụ: {examples}"
CHAT_NO_TOKEN = "TELEGRAM_BOT_TOKEN chưa được đặt: mở trò chuyện trên dòng lệnh."
INDEX_BUSY = "Một lần cập nhật chỉ mục khác đang chạy; đồng chí vui lòng thử lại sau."
INDEX_SKIPPED_FILE = "Bỏ qua {name}: {reason}"
PROGRESS_UNIT = "tệp"
YES_OR_NO = "[c/K]"  # «c» (có) is yes; anything else is no

# What a re-index did (`vankien index` in one line; the end of /capnhat).
INDEX_CHANGES = "Đã cập nhật chỉ mục: thêm {added}, sửa {updated}, xoá {removed}, giữ nguyên {unchanged}"
INDEX_SIZE = "{passages} đoạn · {seconds} giây"
INDEX_SKIPPED = "bỏ qua {count} tệp"
INDEX_REANALYSED = "các tệp đã được phân tích lại theo phiên bản mới của vankien"
INDEX_SYNONYMS = "cách nói thường ngày (synonyms.yaml): {groups} nhóm"
SUMMARY_TOTAL = "Tổng cộng {size}."
SUMMARY_REANALYSED = f"ℹ️ Lần này {INDEX_REANALYSED}."
SUMMARY_SYNONYMS = "ℹ️ Đã cập nhật {synonyms}."
SUMMARY_NEW = "Văn bản mới:"
SUMMARY_SKIPPED = "Bỏ qua {count} tệp:"

# Answers (bot/render.py): the same words on Telegram and on the terminal.
NO_ANSWER = "Xin lỗi, tôi chưa tìm thấy nội dung trả lời câu hỏi này trong các văn bản hiện có."
NOT_FOUND = {  # the first line of "nothing found", by the answer's reason (NO_ANSWER for the others)
    "unknown_code": "Xin lỗi, trong các văn bản hiện có chưa có văn bản mang số hiệu đồng chí hỏi.",
    "unknown_place": "Xin lỗi, tôi chưa tìm thấy điều, khoản hoặc điểm đồng chí hỏi trong các văn bản hiện có.",
}
EMPTY_QUESTION = "Đồng chí hãy nhập câu hỏi, ví dụ: «Người vào Đảng phải đủ bao nhiêu tuổi?»"
TOO_LONG = "Câu hỏi quá dài (tối đa 1.000 ký tự). Đồng chí vui lòng hỏi ngắn gọn hơn."
MISSING = "Đoạn này không nhắc đến: {words}"
RELATED = "Tôi chưa chắc các đoạn dưới đây trả lời đúng câu hỏi; đồng chí xem có đoạn nào phù hợp không:"
READ_AS = "Tôi hiểu câu hỏi là: «{question}»"
TYPE_ACCENTS = "Đồng chí thử gõ lại câu hỏi có dấu để tôi hiểu chính xác hơn."
SUGGESTIONS = "Tôi có thể trả lời về các văn bản như:"
SEE_DOCUMENTS = "Gõ /vanban để xem danh sách văn bản."
CITATION_DATE = "ngày {date}"
LINK = "Xem văn bản"
OTHER_KIND = "văn bản khác"  # a document of no known kind, in "Hiện tôi có …"
TITLE_QUESTION = "{name} quy định những gì?"  # an example question made from a title

# Document cards and the document list.
DOCUMENT_LABELS = {"code": "Số hiệu", "kind": "Loại", "issuer": "Cơ quan ban hành", "publisher": "Nguồn đăng",
                   "date": "Ngày", "passages": "Số đoạn"}
DOCUMENTS_PAGE = "📚 <b>Các văn bản hiện có</b> ({count}) · trang {page}/{pages}"
DOCUMENTS_HOW = "Gõ <code>/vanban số hiệu hoặc từ khoá</code> để xem chi tiết một văn bản."

# /thongke
CHAT_TYPES = {"private": "trò chuyện riêng", "group": "nhóm", "supergroup": "siêu nhóm", "channel": "kênh"}
USAGE_TITLE = "📊 <b>Thống kê 7 ngày qua</b>"
USAGE_NONE = "Chưa có câu hỏi nào."
USAGE_TOTALS = "Câu hỏi: {asked} · trả lời được {answered} ({share}%) · {users} người hỏi"
USAGE_TIERS = "Chưa chắc (trích đoạn gần nhất): {related} · không tìm thấy: {nothing}"
USAGE_BY_DAY = "<b>Theo ngày</b> ({days} ngày có câu hỏi):"
USAGE_DAY = "• {day}: {asked} câu hỏi, trả lời được {answered}, chưa chắc {related}, không tìm thấy {nothing}"
USAGE_WHERE = "Nơi hỏi: {where}"
USAGE_UNSURE = "<b>Câu hỏi gần đây chưa trả lời chắc chắn</b> (🔸 chưa chắc, ▫️ không tìm thấy):"
USAGE_DISLIKED = "<b>Câu trả lời bị chê gần đây:</b>"
USAGE_TIER_MARKS = {"answer": "✅", "related": "🔸", "none": "▫️"}
USAGE_QUESTION = "{rank}. {mark} «{question}» — {count} lần"
USAGE_DOWNS = " · 👎 {downs}"
UNANSWERED_HINT = (
    "<i>Văn bản có nói đến mà cán bộ gọi khác đi? Ghi cách gọi đó vào synonyms.yaml trong "
    "thư mục văn bản (ví dụ <code>đóng đảng phí: [góp quỹ đảng]</code>) rồi gõ /capnhat. "
    "Văn bản chưa có thì gửi tệp cho tôi.</i>"
)
USAGE_FEEDBACK = "Góp ý: 👍 {up} · 👎 {down}"

# Buttons (bot/keyboards.py).
BUTTON_MORE = "Xem thêm ▸"
BUTTON_FULL = "📄 Toàn văn"
BUTTON_FULL_NUMBERED = "📄 Toàn văn {rank}"
BUTTON_PLACE = "📖 Cả {place}"
BUTTON_PREVIOUS = "◂ Trước"
BUTTON_NEXT = "Sau ▸"
BUTTON_DOCUMENTS = "📚 Danh sách văn bản"
BUTTON_REMOVE = "🗑 Gỡ văn bản này"
BUTTON_KEEP = "Giữ lại"
BUTTON_RESTORE = "↩️ Khôi phục"

COMMANDS = (
    ("start", "Bắt đầu và xem câu hỏi mẫu"),
    ("hoi", "Đặt câu hỏi: /hoi câu hỏi"),
    ("vanban", "Danh sách văn bản, hoặc /vanban số hiệu"),
    ("phamvi", "Chỉ tra cứu trong một văn bản: /phamvi số hiệu"),
    ("trogiup", "Hướng dẫn sử dụng"),
)
GROUP_COMMANDS = (
    ("hoi", "Đặt câu hỏi: /hoi câu hỏi"),
    ("vanban", "Danh sách văn bản, hoặc /vanban số hiệu"),
    ("phamvi", "Phạm vi tra cứu của nhóm: /phamvi số hiệu"),
    ("trogiup", "Hướng dẫn sử dụng"),
)
ADMIN_COMMANDS = COMMANDS + (
    ("capnhat", "Cập nhật chỉ mục (quản trị)"),
    ("xoavanban", "Gỡ một văn bản khỏi kho (quản trị)"),
    ("thongke", "Thống kê sử dụng (quản trị)"),
    ("nhatky", "Nhật ký quản trị (quản trị)"),
    ("quantri", "Quản trị viên: /quantri them mã (quản trị)"),
)

# -- relations between documents, facets (index/relations.py, index/catalogue.py) --------------
REPLACED_BY = "⚠️ Đã được thay thế bởi {names}"
APPLIES = "📎 Thi hành {names}"
APPLIED_BY = "📎 Hướng dẫn thi hành: {names}"
BUTTON_APPLIED = "📎 Hướng dẫn thi hành {article}"
APPLIED_HEADER = "📎 <b>Hướng dẫn thi hành {article} {name}</b>:"
APPLIED_NONE = "Chưa có điểm nào của văn bản khác hướng dẫn thi hành điều này."
NOT_HELD = "(chưa có trong kho)"
RELATION_LABELS = {  # a document card: (what it states, what others state of it)
    "replaces": ("Thay thế", "Đã được thay thế bởi"),
    "replaced_by": ("Đã được thay thế bởi", "Thay thế"),
    "guides": ("Hướng dẫn thi hành", "Được hướng dẫn bởi"),
    "applies": ("Thi hành", "Được thi hành bởi"),
    "carries_out": ("Thực hiện", "Được thực hiện bởi"),
    "cites": ("Có nhắc đến", "Được nhắc đến trong"),
}
RELATION_VERBS = {"replaces": "thay thế", "replaced_by": "được thay thế", "guides": "hướng dẫn",
                  "applies": "thi hành", "carries_out": "thực hiện", "cites": "nhắc đến"}
CITED_HEADER = "«{query}» chưa có trong kho văn bản, nhưng được nhắc đến trong {count} văn bản:"
BUTTON_ASK_IN = "🔎 Hỏi trong văn bản này"
BUTTON_READ = "📖 Đọc từ đầu"
BUTTON_READ_ON = "Đọc tiếp ▸"
BUTTON_FILE = "📄 Tệp gốc"
ASK_IN_SET = (
    "✅ Từ giờ tôi chỉ tìm trong «{name}». Đồng chí cứ gõ câu hỏi; gõ /phamvi tatca để tìm lại "
    "trong mọi văn bản."
)
READ_HEADER = "📖 <b>{name}</b> · đoạn {first}–{last}/{total}"
FILE_GONE = "Xin lỗi, tệp gốc của văn bản này không còn trong kho."
DOC_GONE = "Văn bản này không còn trong kho (có thể đã được cập nhật). Gõ /vanban để xem danh sách."
LEVELS = {"central": "Trung ương", "province": "Tỉnh", "bloc": "Khối, cơ sở", "press": "Báo chí"}
FACET_HEADER = "🔎 Chỉ trong các văn bản {facet}:"
FACET_SET = "✅ Từ giờ, trong cuộc trò chuyện này tôi chỉ trích dẫn các văn bản {facet}:"
SECTION = "mục «{section}»"
# Study sessions: quizzes (/ontap, `vankien quiz`), scores (/ketqua), recaps (/batdau, /tongket),
# news of new documents (/theodoi, /huytheodoi).
QUIZ_NONE_PLAIN = "Chưa soạn được câu hỏi ôn tập nào từ các văn bản này."
QUIZ_NONE = "Chưa soạn được câu hỏi ôn tập nào từ các văn bản {where}. Đồng chí thử /ontap với văn bản khác."
QUIZ_ALL_ASKED = "Nhóm đã ôn hết các câu hỏi soạn được từ các văn bản {where} trong buổi này."
QUIZ_WHERE_ALL = "hiện có"
QUIZ_HEADER = "📝 Câu {i}/{n}"
QUIZ_DONE = "Đã hết {n} câu ôn tập. Gõ /ketqua để xem kết quả, /ontap để ôn tiếp."
BUTTON_QUIZ_NEXT = "Câu tiếp ▸"
QUIZ_USAGE = "Gõ /ontap để ôn một câu, /ontap 5 để ôn năm câu, /ontap 5 294 để ôn năm câu trong Quy định 294."
SCORES_HEAD = "🏆 <b>Kết quả ôn tập</b> ({polls} câu hỏi{since}):"
SCORES_SINCE = " từ {time}"
SCORE_LINE = "{rank}. {name}: {right}/{answered} câu đúng"
SCORES_NONE = "Chưa có ai trả lời câu hỏi ôn tập nào trong buổi này. Gõ /ontap để bắt đầu ôn tập."
SESSION_STARTED = (
    "▶️ Đã bắt đầu buổi sinh hoạt{title} lúc {time}. "
    "Khi kết thúc, quản trị viên nhóm gõ /tongket để bot tóm tắt những gì đã hỏi."
)
SESSION_NOT_ALLOWED = "Chỉ quản trị viên của nhóm mới bắt đầu và kết thúc buổi sinh hoạt."
RECAP_TITLE = "📋 <b>Tóm tắt buổi sinh hoạt{title}</b>"
RECAP_PERIOD = "Từ {start} đến {end}."
RECAP_PERIOD_RECENT = "Trong 3 giờ qua (từ {start} đến {end}); lần sau gõ /batdau lúc bắt đầu để bot tính đúng buổi."
RECAP_QUESTIONS = "<b>Câu hỏi đã hỏi ({count}):</b>"
RECAP_QUESTION = "{i}. {question}"
RECAP_SOURCE = "   → {heading} · {place}"
RECAP_UNSURE = " (đoạn gần nhất, chưa chắc trả lời đúng)"
RECAP_UNANSWERED = "   → chưa tìm thấy đoạn trả lời"
RECAP_MORE = "… và {count} câu hỏi khác."
RECAP_NO_QUESTIONS = "Trong buổi này chưa có câu hỏi nào gửi cho bot."
RECAP_DOCUMENTS = "<b>Văn bản được trích nhiều nhất:</b>"
RECAP_DOCUMENT = "• {heading}: {count} lần"
RECAP_SCORES = "<b>Kết quả ôn tập</b> ({polls} câu hỏi):"
FULL_PASSAGE_GONE = "Đoạn văn này không còn trong kho (văn bản đã được thay hoặc gỡ)."
SUBSCRIBED = "🔔 Đã đăng ký: khi có văn bản mới, bot sẽ báo vào cuộc trò chuyện này. Gõ /huytheodoi để thôi nhận."
ALREADY_SUBSCRIBED = "Cuộc trò chuyện này đã đăng ký nhận tin văn bản mới. Gõ /huytheodoi để thôi nhận."
UNSUBSCRIBED = "🔕 Đã huỷ đăng ký nhận tin văn bản mới."
NOT_SUBSCRIBED = "Cuộc trò chuyện này chưa đăng ký nhận tin văn bản mới. Gõ /theodoi để đăng ký."
SUBSCRIBE_NOT_ALLOWED = "Chỉ quản trị viên của nhóm mới đăng ký hoặc huỷ nhận tin văn bản mới cho nhóm."
NOTICE_HEAD = "🆕 <b>Kho có {count} văn bản mới:</b>"
NOTICE_DOC = "• <b>{title}</b>{details}"
NOTICE_FOOT = "Bấm nút dưới đây để xem thông tin văn bản, hoặc hỏi bot về nội dung của nó."
BUTTON_CARD = "📄 {name}"
STUDY_HELP = (
    "\n\n<b>Sinh hoạt, học tập</b>\n"
    "• /ontap [số câu] [văn bản]: câu hỏi trắc nghiệm từ văn bản (ví dụ /ontap 5 294)\n"
    "• /ketqua: kết quả ôn tập của nhóm\n"
    "• /batdau [tên buổi], /tongket: bắt đầu và tóm tắt buổi sinh hoạt (quản trị viên nhóm)\n"
    "• /theodoi, /huytheodoi: nhận hoặc thôi nhận tin khi có văn bản mới"
)
STUDY_COMMANDS = (
    ("ontap", "Ôn tập: câu hỏi trắc nghiệm từ văn bản"),
    ("ketqua", "Kết quả ôn tập"),
    ("theodoi", "Nhận tin khi có văn bản mới"),
    ("huytheodoi", "Thôi nhận tin văn bản mới"),
)
STUDY_GROUP_COMMANDS = (
    ("ontap", "Ôn tập: câu hỏi trắc nghiệm từ văn bản"),
    ("ketqua", "Kết quả ôn tập của nhóm"),
    ("batdau", "Bắt đầu buổi sinh hoạt (quản trị viên)"),
    ("tongket", "Tóm tắt buổi sinh hoạt (quản trị viên)"),
    ("theodoi", "Nhận tin khi có văn bản mới"),
    ("huytheodoi", "Thôi nhận tin văn bản mới"),
)
HELP = HELP + STUDY_HELP
# Uploading a file whose name is taken (bot/admin.py).
UPLOAD_CLASH = (
    "Trong kho đã có tệp «{name}» với nội dung khác. Đồng chí muốn thay tệp cũ bằng tệp này, "
    "hay giữ cả hai (tệp mới mang tên khác)?"
)
UPLOAD_CLASH_GONE = "Tệp này đã được xử lý hoặc không còn; đồng chí vui lòng gửi lại tệp."
BUTTON_REPLACE = "Thay thế"
BUTTON_KEEP_BOTH = "Giữ cả hai"

# /nhatky and `vankien audit`: the audit trail, one short line per entry.
AUDIT_TITLE = "🗒 <b>Nhật ký quản trị</b> ({count} việc gần nhất)"
AUDIT_TITLE_PLAIN = "Nhật ký quản trị ({count} việc gần nhất)"
AUDIT_NONE = "Chưa có việc quản trị nào được ghi lại."
AUDIT_LINE = "{mark} {when} · {who} · {what}{document}{outcome}"
AUDIT_CLI_USER = "💻 {name}"
AUDIT_ACTIONS = {
    "upload": "thêm tệp", "replace": "thay tệp", "keep_both": "thêm tệp (giữ cả hai)",
    "remove": "gỡ", "restore": "khôi phục", "reindex": "cập nhật chỉ mục", "scope": "đổi phạm vi",
    "audit": "xem nhật ký", "stats": "xem thống kê", "admins": "xem quản trị viên",
    "admin_add": "thêm quản trị viên", "admin_remove": "bỏ quản trị viên",
}
AUDIT_MARKS = {"ok": "✅", "failed": "❌", "busy": "⏳", "same": "▫️", "refused": "⛔", "gone": "▫️"}
AUDIT_OUTCOMES = {  # said after the action; "ok" says nothing
    "failed": " (không thành công)", "busy": " (đang bận, chưa làm)", "same": " (không đổi)",
    "refused": " (bị từ chối)", "gone": " (không còn)",
}

# /quantri: administrators managed in the bot.
ADMINS_TITLE = "👥 <b>Quản trị viên</b>"
ADMINS_FIXED = "• <code>{id}</code> (cố định, ADMIN_IDS)"
ADMINS_ADDED = "• <code>{id}</code> (do {by} thêm ngày {date})"
ADMINS_HOW = (
    "Gõ <code>/quantri them mã</code> để thêm, <code>/quantri bo mã</code> để bỏ một quản trị viên "
    "(mã Telegram: người đó gửi bất kỳ lệnh quản trị nào cho tôi sẽ thấy mã của mình)."
)
ADMIN_ADDED = "✅ Đã thêm quản trị viên <code>{id}</code>; có hiệu lực ngay."
ADMIN_ALREADY = "<code>{id}</code> đã là quản trị viên."
ADMIN_REMOVED = "✅ Đã bỏ quản trị viên <code>{id}</code>; có hiệu lực ngay."
ADMIN_NOT_ONE = "<code>{id}</code> không phải quản trị viên được thêm trong bot."
ADMIN_FIXED = (
    "Không bỏ được <code>{id}</code>: quản trị viên này được đặt trong ADMIN_IDS (tệp .env), "
    "chỉ người cài đặt bot mới đổi được."
)
ADMIN_BAD_ID = "Mã «{id}» không hợp lệ: mã Telegram là một số, ví dụ <code>/quantri them 123456789</code>."
SOMEONE = "ai đó"

# The /thongke chart (bot/chart.py).
CHART_TITLE = "Câu hỏi 30 ngày qua: {asked}, trả lời được {answered}"
CHART_DAYS_TITLE = "Số câu hỏi mỗi ngày ({days} ngày)"
CHART_TIERS = {"answer": "Trả lời được", "related": "Chưa chắc", "none": "Không tìm thấy"}
CHART_QUESTIONS = "câu hỏi"
CHART_CITED_TITLE = "Văn bản được trích dẫn nhiều nhất"
CHART_NOTHING_CITED = "Chưa có văn bản nào được trích dẫn."
CHART_TIMES = "số lần trích đầu tiên"
CHART_CAPTION = "📊 Câu hỏi 30 ngày qua và các văn bản được trích nhiều nhất."
CHART_SAVED = "Đã lưu biểu đồ vào {path}."
STATS_RELATIONS = "Liên hệ giữa các văn bản ({count}):"
STATS_RELATION = "  {source} — {verb} → {target}{where}"
STATS_RELATION_POINTS = " ({points} điểm, điều)"
FACET_PHRASES = {"central": "cấp Trung ương", "province": "cấp tỉnh", "bloc": "cấp khối, cơ sở",
                 "press": "đăng trên báo chí"}
FACET_YEARS = "năm {years}"

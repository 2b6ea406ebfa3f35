// Sources of the role-override checks (assembly/detector.ts): chat-template markers and role
// headers inside content that is not the system's own. Build input: scripts/patterns.ts writes them
// into assembly/model/patterns.ts as UTF-8.

// A bare role header ("system:", "assistant:") counts at the start of the text or after a
// sentence end; elsewhere it is too common ("operating system: linux").
export const HEADER_PATTERN = "\\b(system|assistant) ?:";

/** What a bug report's "System:" line names (an operating system, "System: Ubuntu 22.04. How do I
 *  install Node 20?"): no role header. "|"-separated, as normalised text reads them. */
export const SYSTEM_NAMES = "|ubuntu|debian|fedora|centos|rhel|red hat|rocky linux|alma linux|windows|win 10|win 11|macos|mac os|os x|osx|linux|arch linux|manjaro|mint|linux mint|android|ios|ipados|freebsd|openbsd|chromeos|chrome os|raspberry pi os|raspbian|wsl|wsl2|opensuse|suse|alpine|nixos|gentoo|";

// Role-override markers, matched on the normalised text (lowercase, one space for any whitespace):
// one alternation, so one pass of the pattern engine.
export const ROLE_PATTERNS: string[] = [
  "<\\|(im_start|im_end|system|user|assistant|endoftext|start_header_id|end_header_id|eot_id)\\|>" +
  "|\\[/?inst\\]|<</?sys>>" +
  // A markdown link posing as a system section ("[system](#instructions)", the Bing Chat injection).
  "|\\[(system|assistant)\\]\\(#" +
  "|\\b(system|developer|admin) (message|override) ?:" +
  "|\\bnew (system )?instructions? ?:" +
  "|(end|begin) (of )?(the )?(system|user) (prompt|message|instructions?)" +
  // A mode tag ("<GOD MODE>", "<system_mode>", "[DAN MODE]"), the header of a mode-switch
  // jailbreak. In square brackets only the jailbreak names: "[Admin mode]" and "[Developer mode]"
  // are buttons, "[DEBUG MODE]" a log line.
  "|< ?/?(god|system|developer|dev|admin|sudo|root|jailbreak|jailbroken|dan|unrestricted|unfiltered|uncensored|evil|override|maintenance)[ _]mode ?>" +
  "|\\[ ?(god|jailbreak|jailbroken|dan|unrestricted|unfiltered|uncensored|evil)[ _]mode ?\\]" +
  // … the same tags in other languages ("<系统模式>", "<modo dios>", "<Entwicklermodus>").
  "|< ?/?(系统|系統|开发者|開發者|上帝|管理员|管理員|越狱|越獄|システム|開発者|管理者|ゴッド|神|시스템|개발자|관리자) ?(模式|モード|모드) ?>" +
  "|< ?/?(modo|mode|modalita|режим) (de |di |do |del |du )?(dios|dieu|deus|dio|desarrollador|desenvolvedor|developpeur|sviluppatore|sistema|systeme|administrador|administrateur|amministratore|бога|разработчика|системы|администратора) ?>" +
  "|< ?/?(gott|entwickler|system|admin)-?modus ?>|< ?/?(सिस्टम|डेवलपर|गॉड|भगवान) मोड ?>|< ?/?โหมด(ระบบ|นักพัฒนา|พระเจ้า) ?>|< ?/?وضع (النظام|المطور|الإله) ?>",
];

// A new task announced with a colon ("New task: …", "Neue Aufgabe: …", "新任务：…"), the hinge of a
// goal hijack, in the lexicon's languages (normalised: accents folded, fullwidth colons plain). It
// does not count after the user's own possessive ("my new task: learn Spanish"; detector.ts).
export const TASK_MARKERS: string[] = [
  "\\bnew (task|assignment|directive|objective) ?:" +
  "|\\b(neue (aufgabe|anweisung|anweisungen)|nueva (tarea|instruccion)|nuevas instrucciones|nouvelle (tache|instruction|consigne)|nouvelles (instructions|consignes)" +
  "|nuovo compito|nuove istruzioni|nova tarefa|novas instrucoes|yeni gorev|tugas baru|instruksi baru) ?:" +
  "|(новая задача|новые инструкции|новое задание|新しい(タスク|指示|命令)|新的?(任务|指令|指示)|새로운 (작업|지시|명령)|नया कार्य|नए निर्देश|مهمة جديدة|تعليمات جديدة) ?:",
];

/** The user's own possessives: "my new task: …" is the user's plan, not a hijack's hinge. */
export const OWN_POSSESSIVES = "|my|our|his|her|their|mein|meine|unsere|unser|mi|mis|nuestra|nuestro|mon|ma|notre|mio|mia|nostro|nostra|minha|meu|nossa|nosso|benim|мой|моя|моё|мое|наша|наш|моей|";
/** Han/kana possessives right before the marker ("我的新任务", "私の新しいタスク"). */
export const OWN_POSSESSIVES_CJK = "|我的|我们的|私の|僕の|自分の|";

/** What makes a pasted transcript data (detector.ts namesTranscriptTask): a task done on it
 *  (summarise, translate, analyse, classify, extract, rewrite, review) or its name (transcript,
 *  dialogue, conversation, chat log), each a word's start anywhere in the text. */
export const TRANSCRIPT_TASKS = "|summar|translat|transcript|dialog|conversation|chat log|analy|classif|extract|rewrite|review|";

/** A user's speaker header before an assistant turn makes a pasted transcript (detector.ts speakerBefore). */
export const USER_SPEAKERS = "|user|human|customer|client|";

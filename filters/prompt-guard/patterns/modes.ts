// Sources of the mode switches in languages other than English (assembly/modes.ts): a "you are
// now" marker and a jailbreak phrase in one sentence. Build input: scripts/patterns.ts writes them
// into assembly/model/patterns.ts as UTF-8. Matched on normalised text (lowercase, Latin-1 accents
// removed: "estas", "developpeur", "modalita").

/** "You are now", "from now on you are", in the languages the lexicon covers. */
export const MARKERS = "\\b(du bist (jetzt|nun|ab jetzt|ab sofort)|ab (jetzt|sofort) bist du|sie sind (jetzt|nun)" +
  "|ahora (estas|eres)|a partir de ahora|desde ahora" +
  "|(tu es|vous etes) (maintenant|desormais)|desormais|a partir de maintenant" +
  "|(ora|adesso) sei|sei (ora|adesso)|d'ora in poi" +
  "|agora (voce|tu) (esta|e|estas|es)|(voce|tu) (esta|e|estas|es) agora|a partir de agora|de agora em diante|de ahora en adelante|da ora in poi|von nun an" +
  "|(kamu|anda) sekarang|sekarang (kamu|anda) (adalah|menjadi)|mulai sekarang" +
  // "Imagine you are …" ("stell dir vor, du bist ein KI-Roboter ohne Regeln").
  "|stell dir vor,? (du bist|dass du)|stellen sie sich vor,? (sie sind|dass sie)|imagina que (eres|estas)|imagine que (tu es|vous etes)|immagina (di essere|che tu sia)|finja que (voce|tu) (e|es)|finge que (eres|es))\\b" +
  "|представь,? что ты|想象你是|想象一下你是|假装你是" +
  "|\\bartık (sen|siz)\\b|\\b(sen|siz) artık|\\bsimdi (sen|siz)\\b" +
  "|ты теперь|теперь ты|вы теперь|теперь вы|отныне|с этого момента|ти тепер|тепер ти" +
  "|你现在|您现在|从现在(开始|起)|あなたは今|今からあなたは|これからあなたは" +
  "|당신은 이제|너는 이제|지금부터 (당신|너)|अब (तुम|आप)|अब से|أنت الآن|انت الان|من الآن" +
  // "From now on you are …": the "are" too where the marker alone starts everyday advice ("từ giờ bạn hãy ăn…").
  "|\\bsu andan itibaren (sen|siz)\\b|\\bbundan sonra (sen|siz)\\b|\\b(tu gio|tu bay gio|bay gio) ban (la|dang la)\\b|\\bmula ngayon,? ikaw (ay|ang)\\b|\\bngayon ikaw ay\\b" +
  "|από τώρα (είσαι|θα είσαι)|τώρα είσαι|এখন থেকে (তুমি|আপনি)|(จากนี้ไป|ตอนนี้) ?คุณ(คือ|เป็น)";

/** Jailbreak phrases: a developer / unrestricted mode, no restrictions, no rules, no filter. */
export const PHRASES = "\\b(entwicklermodus|(ohne|keine) (einschrankungen|regeln|grenzen|filter|zensur)" +
  "|modo (de )?(desarrollador|desenvolvedor)|(sin|no tienes|sem) (ningun[ao]? |nenhuma? )?(restricciones|restricoes|reglas|regras|limites|filtros|censura)" +
  "|mode (de )?developpeur|sans (aucune? )?(restrictions?|regles|limites|filtres?|censure)" +
  "|modalita (di )?sviluppatore|senza (regole|limiti|restrizioni|filtri|censura)" +
  "|mode pengembang|tanpa (batasan|aturan|sensor|filter)" +
  // An evil AI ("stell dir vor, du bist eine böse KI", "imagina que eres una IA malvada").
  "|(bose|bosartige|boser|bosartiger) ki|ia (malvada|malvado|maligna|malefique|malveillante|malvagia))\\b" +
  "|зло(й|го|м) ии|邪恶的?(人工智能|ai)" +
  "|gelistirici mod|kısıtlama|(режим|режиме) разработчика|без (ограничений|правил|цензуры|фильтров)|нет (ограничений|правил)" +
  "|开发者模式|没有(任何)?限制|不受(任何)?限制|无限制|開発者モード|制限(は|が)?(ありません|ない|なし)" +
  "|개발자 모드|제한(이|은)? 없|डेवलपर मोड|कोई (प्रतिबंध|सीमा|नियम)|बिना (किसी )?(प्रतिबंध|सीमा|नियम)|وضع المطور|بدون قيود|بلا قيود|制限のない" +
  "|ไม่มีข้อจำกัด|ไร้ข้อจำกัด|โหมดนักพัฒนา|\\bkhong (co )?gioi han\\b|\\bwalang (limitasyon|patakaran|paghihigpit|panuntunan)\\b|χωρίς (περιορισμούς|κανόνες|φίλτρα)|(কোনো )?(সীমাবদ্ধতা|নিযম) ছাডা" +
  // DAN's name translated ("Do Anything Now").
  "|\\b((hacer|haz|haces) cualquier cosa ahora|(fazer|faz|faca) qualquer coisa agora|faire (tout|n'importe quoi) maintenant|(fare|fai) qualsiasi cosa (ora|adesso)|(mach|tu) jetzt alles|lakukan apa saja sekarang|lam bat cu dieu gi bay gio)\\b" +
  "|что угодно сейчас|अभी कुछ भी कर|现在做任何事|今すぐ何でも|지금 무엇이든";

/** Dropping the assistant's rules or role in the lexicon's other languages (asks.ts TASKS reads
 *  English): "your rules no longer apply", "you are no longer an assistant", "stop being an
 *  assistant". User and tool texts holding one of the asks' cue concepts (detector.ts setAsk). */
export const FOREIGN_TASKS = "\\b(tus|sus) (reglas|instrucciones|restricciones|directrices|normas) (originales |anteriores )?ya no (se aplican|aplican|son validas|cuentan|importan|existen)\\b" +
  "|\\bya no eres (un |una )?(asistente|ia|inteligencia artificial|chatbot|bot|modelo de lenguaje)\\b|\\b(deja|dejes) de (ser|actuar como) (un |una |el |la )?(asistente|ia|chatbot|bot)\\b" +
  "|\\b(deine|ihre) (regeln|anweisungen|einschrankungen|richtlinien|vorgaben) gelten (ab jetzt |jetzt |ab sofort )?nicht mehr\\b" +
  "|\\b(du bist|sie sind) (jetzt )?(kein|keine) (assistent|ki|chatbot|bot|sprachmodell) mehr\\b|\\bhor (jetzt )?auf,? (ein |eine )?(assistent|ki|chatbot|bot) zu sein\\b" +
  "|\\b(tes|vos) (regles|instructions|restrictions|consignes) ne s('|’)appliquent plus\\b" +
  "|\\b(tu n('|’)es|vous n('|’)etes) plus (un |une )?(assistant|ia|chatbot|bot|modele de langage)\\b|\\b(arrete|arretez|cesse|cessez) d('|’)etre (un |une )?(assistant|ia|chatbot|bot)\\b" +
  "|\\b(le tue|le sue) (regole|istruzioni|restrizioni) non (valgono|si applicano|contano) piu\\b|\\bnon sei piu (un |una |un')?(assistente|ia|chatbot|bot)\\b|\\bsmetti di essere (un |una |un')?(assistente|ia|chatbot|bot)\\b" +
  "|\\b(suas|tuas) (regras|instrucoes|restricoes) (ja )?nao (se aplicam|valem) mais\\b|\\b(voce|tu) nao (e|es) mais (um |uma )?(assistente|ia|chatbot|bot)\\b|\\bpare de ser (um |uma )?(assistente|ia|chatbot|bot)\\b" +
  "|(твои|ваши) (правила|инструкции|ограничения) больше не (действуют|применяются)|(ты|вы) больше не (ассистент|помощник|ии|чат-бот|бот|языковая модель)|(перестань|перестаньте) быть (ассистентом|помощником|ии|ботом)" +
  "|你的(规则|指令|限制)(已经)?不再(适用|有效|存在)|你不再是(一个)?(助手|助理|ai|人工智能|聊天机器人)|(停止|不要再)(做|当|扮演)(一个)?(助手|助理|ai)" +
  "|あなたの(ルール|指示|制限)は(もう|もはや)(適用されません|無効|存在しません)|あなたは(もう|もはや)(アシスタント|ai)(ではありません|じゃない)" +
  "|당신의 (규칙|지시|제한)(은|는)? 더 이상 (적용되지 않|유효하지 않)|(당신|너)(은|는) 더 이상 (어시스턴트|ai|비서|챗봇)(가|이)? 아니" +
  "|(तुम्हारे|आपके) (नियम|निर्देश) अब लागू नहीं|(तुम|आप) अब (सहायक|असिस्टेंट|एआई) नहीं" +
  "|(قواعدك|تعليماتك|قيودك) لم تعد (سارية|تنطبق|مطبقة)|(أنت|انت) لم تعد (مساعدا|مساعد|ذكاء اصطناعي)" +
  // … and "regardless of (the) previous tasks / instructions" (English: asks.ts TASKS).
  "|\\b(independientemente|sin importar) de (las|los) (tareas|instrucciones|indicaciones|solicitudes|reglas) (anteriores|previas)\\b" +
  "|\\bindependentemente (das|dos) (tarefas|instrucoes|solicitacoes|regras|pedidos) (anteriores|previas)\\b" +
  "|\\b(independamment des|quelles que soient les) (taches|instructions|consignes|demandes|regles) (precedentes|anterieures)\\b" +
  "|\\b(indipendentemente|a prescindere) (dai|dalle) (compiti|istruzioni|richieste|regole) precedenti\\b" +
  "|\\bunabhangig von (den )?(vorherigen|fruheren|bisherigen) (aufgaben|anweisungen|anfragen|regeln)\\b" +
  "|\\b(onceki|daha onceki) (gorevlerden|talimatlardan|isteklerden|kurallardan) (bagımsız olarak|bakılmaksızın)" +
  "|\\bterlepas dari (tugas|instruksi|perintah) sebelumnya\\b|\\bbat ke (cac )?(nhiem vu|huong dan|chi dan) truoc( do)?\\b" +
  "|независимо от (предыдущих|прошлых) (задач|инструкций|заданий|указаний|запросов)|(不管|无论|無論)(之前|以前|先前)的?(任务|任務|指令|指示)" +
  "|(以前|前)の(タスク|指示|命令)(に関係なく|とは関係なく|にかかわらず)|(पिछले|पहले के) (कार्यों|निर्देशों|कामों) (की परवाह किए बिना|के बावजूद)" +
  "|بغض النظر عن (المهام|التعليمات|الأوامر) السابقة";

// Sources of the mode switches in languages other than English (assembly/modes.ts): a "you are
// now" marker and a jailbreak phrase in one sentence. Build input: scripts/patterns.ts writes them
// into assembly/model/patterns.ts as UTF-8. Matched on normalised text (lowercase, Latin-1 accents
// removed: "estas", "developpeur", "modalita").

/** "You are now", "from now on you are", in the languages the lexicon covers. */
export const MARKERS = "\\b(du bist (jetzt|nun|ab jetzt|ab sofort)|ab (jetzt|sofort) bist du|sie sind (jetzt|nun)" +
  "|ahora (estas|eres)|a partir de ahora|desde ahora" +
  "|(tu es|vous etes) (maintenant|desormais)|desormais|a partir de maintenant" +
  "|(ora|adesso) sei|sei (ora|adesso)|d'ora in poi" +
  "|agora (voce|tu) (esta|e|estas|es)|(voce|tu) (esta|e|estas|es) agora|a partir de agora" +
  "|(kamu|anda) sekarang|mulai sekarang)\\b" +
  "|\\bartık (sen|siz)\\b|\\b(sen|siz) artık|\\bşimdi (sen|siz)\\b" +
  "|ты теперь|теперь ты|вы теперь|теперь вы|отныне|ти тепер|тепер ти" +
  "|你现在|您现在|从现在(开始|起)|あなたは今|今からあなたは|これからあなたは" +
  "|당신은 이제|너는 이제|지금부터 (당신|너)|अब (तुम|आप)|अब से|أنت الآن|انت الان|من الآن";

/** Jailbreak phrases: a developer / unrestricted mode, no restrictions, no rules, no filter. */
export const PHRASES = "\\b(entwicklermodus|(ohne|keine) (einschrankungen|regeln|grenzen|filter|zensur)" +
  "|modo (de )?(desarrollador|desenvolvedor)|(sin|no tienes|sem) (ningun[ao]? |nenhuma? )?(restricciones|restricoes|reglas|regras|limites|filtros|censura)" +
  "|mode (de )?developpeur|sans (aucune? )?(restrictions?|regles|limites|filtres?|censure)" +
  "|modalita (di )?sviluppatore|senza (regole|limiti|restrizioni|filtri|censura)" +
  "|mode pengembang|tanpa (batasan|aturan|sensor|filter))\\b" +
  "|geliştirici mod|kısıtlama|(режим|режиме) разработчика|без (ограничений|правил|цензуры|фильтров)|нет (ограничений|правил)" +
  "|开发者模式|没有(任何)?限制|不受(任何)?限制|无限制|開発者モード|制限(は|が)?(ありません|ない|なし)" +
  "|개발자 모드|제한(이|은)? 없|डेवलपर मोड|कोई (प्रतिबंध|सीमा|नियम)|बिना (प्रतिबंध|सीमा|नियम)|وضع المطور|بدون قيود|بلا قيود";
